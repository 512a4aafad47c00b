import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, createStore } from '@yulian/core';
import { createNodeStats, createStatsReporter, createStatsStore, httpStatsSender, utcDay } from '@yulian/identifier';
import { ResponseCode, resolveHandle } from '@yulian/protocols';
import { demoPassword, type TestPlatform, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Counters = { registrations: number; resolutions: number; resolved: number; notFound: number; invalid: number };
type StatsBody = { from: string; to: string; items: Array<Counters & { day: string; prefix: string }>; totals: Counters; truncated: boolean };
type TargetsBody = { items: Array<{ key: string; target: number; current: number; percent: number }>; nodes: Array<{ node: string; role: string; source: string; reporting: boolean }> };

describe('identifier statistics in the all-in-one platform', () => {
  let platform: TestPlatform;
  const tokens = new Map<string, string>();
  const login = async (username: string): Promise<string> => {
    const known = tokens.get(username);
    if (known) return known;
    const r = await fetch(`${platform.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
    const token = ((await r.json()) as { token: string }).token;
    tokens.set(username, token);
    return token;
  };
  const get = async <T>(path: string, username: string): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${platform.httpUrl}${path}`, { headers: { authorization: `Bearer ${await login(username)}` } });
    return { status: r.status, body: (await r.json()) as T };
  };
  const target = (body: TargetsBody, key: string) => body.items.find((i) => i.key === key)!;

  beforeAll(async () => {
    platform = await startDemoPlatform('id-stats');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('counts resolutions through the public entry once each, and the demo’s registrations, per prefix and day', async () => {
    const entry = { host: '127.0.0.1', port: platform.identifier.entry.port };
    const n = 7;
    for (let i = 0; i < n; i++) expect((await resolveHandle(entry, '88.100.1/dev.cnc-01', {}, { transport: i % 2 ? 'tcp' : 'udp' })).rc).toBe(ResponseCode.SUCCESS);
    expect((await resolveHandle(entry, '88.100.1/not-registered')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    await platform.identifier.stats.flush();

    const today = utcDay(Date.now());
    const { status, body } = await get<StatsBody>(`/api/v1/identifiers/stats?prefix=88.100.1&from=${today}&to=${today}`, 'demo-engineer');
    expect(status).toBe(200);
    const enterprise = platform.identifier.nodes.find((x) => x.prefix === '88.100.1')!;
    expect(body.items).toEqual([{ day: today, prefix: '88.100.1', registrations: await enterprise.records!.count('88.100.1'), resolutions: n + 1, resolved: n, notFound: 1, invalid: 0 }]);
    // Where they were counted: the first of each by the enterprise node, the rest from the entry's cache.
    const byEntry = await get<StatsBody>(`/api/v1/identifiers/stats?prefix=88.100.1&node=recursive`, 'demo-registrar');
    expect(byEntry.body.totals).toMatchObject({ resolutions: n - 1, resolved: n - 1 });
  });

  it('shows an enterprise its own prefixes only, and everyone the plan’s targets', async () => {
    expect((await get(`/api/v1/identifiers/stats?prefix=88.100.1`, 'demo2-admin')).status).toBe(403);
    expect((await get<StatsBody>(`/api/v1/identifiers/stats`, 'demo2-admin')).body.items).toEqual([]);
    const all = await get<StatsBody>(`/api/v1/identifiers/stats`, 'demo-authority');
    expect(all.body.items.map((r) => r.prefix)).toEqual(expect.arrayContaining(['0.NA', '88.100.1']));
    expect((await get(`/api/v1/identifiers/stats?from=2026-12-02&to=2026-12-01`, 'demo-authority')).body).toMatchObject({ error: { code: 'TIME_RANGE_INVALID' } });

    const { status, body } = await get<TargetsBody>('/api/v1/identifiers/stats/targets', 'demo-engineer');
    expect(status).toBe(200);
    expect(body.items.map((i) => [i.key, i.target])).toEqual([['registrations', 20_000_000_000], ['resolutions', 8_000_000_000], ['secondaryNodes', 40], ['enterprises', 3_000]]);
    expect(target(body, 'resolutions').current).toBeGreaterThanOrEqual(8);
    expect(target(body, 'secondaryNodes')).toMatchObject({ current: 1, percent: 2.5 });
    expect(target(body, 'enterprises').current).toBe(1);
    expect(body.nodes.map((x) => [x.node, x.role, x.source]).sort()).toEqual([['88', 'top', 'local'], ['88.100', 'secondary', 'local'], ['88.100.1', 'enterprise', 'local'], ['recursive', 'recursive', 'local']]);
    const doc = (await (await fetch(`${platform.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/identifiers/stats', '/api/v1/identifiers/stats/targets', '/api/v1/identifiers/stats/reports']));
  });

  it('takes a separate secondary node’s report over HTTP, replacing its totals, and refuses one for a node it counts itself', async () => {
    const childDir = await mkdtemp(join(tmpdir(), 'yulian-id-stats-child-'));
    let child: Store | undefined;
    try {
      child = await createStore({ url: 'sqlite', dataDir: childDir });
      await child.migrate();
      const childStats = createStatsStore(child);
      const node = createNodeStats({ node: '88.200', role: 'secondary', parent: '88', store: childStats, flushMs: 0 });
      for (let i = 0; i < 5; i++) node.resolution(`88.200.9/P${i}`, ResponseCode.SUCCESS);
      node.registration('88.200.9/P0', 5);
      await node.close();
      const send = httpStatsSender({ url: platform.httpUrl, token: await login('demo-registrar') });
      const reporter = createStatsReporter({ reporter: node.node, store: childStats, send, intervalMs: 0, enterprises: async () => 4 });
      await reporter.report();
      await reporter.report();

      const mine = await get<StatsBody>('/api/v1/identifiers/stats?prefix=88.200', 'demo-registrar');
      expect(mine.body.totals).toEqual({ registrations: 5, resolutions: 5, resolved: 5, notFound: 0, invalid: 0 });
      const targets = (await get<TargetsBody>('/api/v1/identifiers/stats/targets', 'demo-authority')).body;
      expect(target(targets, 'secondaryNodes').current).toBe(2);
      expect(target(targets, 'enterprises').current).toBe(5);
      expect(targets.nodes.find((x) => x.node === '88.200')).toMatchObject({ role: 'secondary', source: 'report', reporting: true });

      const refused = await httpStatsSender({ url: platform.httpUrl, token: await login('demo-registrar') })({ reporter: '88.100', nodes: [{ node: '88.100', role: 'secondary' }], rows: [] }).catch((e: unknown) => e);
      expect(String(refused)).toContain('ID_STATS_NODE_LOCAL');
      const forbidden = await httpStatsSender({ url: platform.httpUrl, token: await login('demo-engineer') })({ reporter: '88.300', nodes: [], rows: [] }).catch((e: unknown) => e);
      expect(String(forbidden)).toContain('HTTP 403');
    } finally {
      await child?.close();
      await rm(childDir, { recursive: true, force: true });
    }
  });
});

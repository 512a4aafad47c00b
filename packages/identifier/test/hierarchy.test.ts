import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, createStore, silentLogger } from '@yulian/core';
import { type IdentifierNode, siteOf, startIdentifierNode } from '@yulian/identifier';
import { ResponseCode, encodeSite, encodeValues, handleValue, resolveHandle } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger = silentLogger();
const local = (port: number) => ({ host: '127.0.0.1', port });

describe('identifier hierarchy: top-level → secondary → enterprise, through a recursive node', () => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  const nodes: IdentifierNode[] = [];
  let top: IdentifierNode;
  let secondary: IdentifierNode;
  let enterprise: IdentifierNode;
  let recursive: IdentifierNode;
  let clock = Date.now();

  const storeOf = async (): Promise<Store> => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-idh-'));
    dirs.push(dir);
    const s = await createStore({ url: 'sqlite', dataDir: dir });
    await s.migrate();
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    // Children first: a parent's delegation names the child's port.
    enterprise = await startIdentifierNode({ role: 'enterprise', prefix: '88.100.1', store: await storeOf(), logger, host: '127.0.0.1', port: 0 });
    secondary = await startIdentifierNode({ role: 'secondary', prefix: '88.100', store: await storeOf(), logger, host: '127.0.0.1', port: 0, delegations: [{ prefix: '88.100.1', target: local(enterprise.port) }] });
    top = await startIdentifierNode({ role: 'top', prefix: '88', store: await storeOf(), logger, host: '127.0.0.1', port: 0, delegations: [{ prefix: '88.100', target: local(secondary.port) }] });
    recursive = await startIdentifierNode({ role: 'recursive', logger, host: '127.0.0.1', port: 0, resolver: { root: [local(top.port)], timeoutMs: 500, now: () => clock } });
    nodes.push(enterprise, secondary, top, recursive);
    await enterprise.records!.create('88.100.1/ABC-001', [handleValue(1, 'URL', 'https://example.com/abc', { ttl: 30 }), handleValue(2, 'DESC', '轴承 6205', { ttl: 30 })]);
    // An enterprise without a node of its own: its records live on the secondary node.
    await secondary.records!.create('88.100.2/X-9', [handleValue(1, 'URL', 'https://example.com/x9', { ttl: 30 })]);
  });
  afterAll(async () => {
    for (const n of nodes) await n.close().catch(() => undefined);
    for (const s of stores) await s.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('resolves an enterprise identifier by following delegation from the top-level node, over UDP and TCP', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const r = await resolveHandle(local(recursive.port), '88.100.1/ABC-001', {}, { transport });
      expect(r.rc).toBe(ResponseCode.SUCCESS);
      expect('values' in r && r.values.map((v) => v.data.toString())).toEqual(['https://example.com/abc', '轴承 6205']);
    }
    const held = await resolveHandle(local(recursive.port), '88.100.2/X-9');
    expect('values' in held && held.values[0]!.data.toString()).toBe('https://example.com/x9');
    expect((await resolveHandle(local(recursive.port), '88.100.1/none')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    expect(recursive.resolver!.stats().cacheHits).toBeGreaterThan(0);
  });

  it('answers from its cache while the enterprise node is down, until the TTL runs out, then names the node that did not answer', async () => {
    await resolveHandle(local(recursive.port), '88.100.1/ABC-001');
    await enterprise.close();
    clock += 20_000;
    const cached = await recursive.backend.resolve('88.100.1/ABC-001');
    expect(cached).toMatchObject({ rc: ResponseCode.SUCCESS, source: 'cache' });
    clock += 11_000;
    const failed = await resolveHandle(local(recursive.port), '88.100.1/ABC-001', {}, { timeoutMs: 3000 });
    expect(failed.rc).toBe(ResponseCode.ERROR);
    expect('message' in failed && failed.message).toContain(`127.0.0.1:${enterprise.port} did not answer`);
  });

  it('reports a delegation loop instead of following it', async () => {
    // 88.200 goes to the secondary node, which sends 88.200.1 back to the top-level node.
    await top.records!.put('0.NA/88.200', (await top.records!.get('0.NA/88.100'))!);
    await secondary.records!.put('0.NA/88.200.1', await siteHandleTo(top.port));
    const r = await recursive.backend.resolve('88.200.1/loop');
    expect(r.rc).toBe(ResponseCode.RECURSION_COUNT_TOO_HIGH);
    expect(r.message).toContain('delegation loop');
    expect(recursive.resolver!.stats().loops).toBe(1);
  });
});

/** A prefix handle's values delegating to the node on `port` (HS_SITE.PREFIX), encoded. */
async function siteHandleTo(port: number): Promise<Buffer> {
  return encodeValues([handleValue(1, 'HS_SITE.PREFIX', encodeSite(siteOf('127.0.0.1', port, 'loop')), { ttl: 30 })]);
}

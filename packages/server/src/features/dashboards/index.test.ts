import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { demoDashboardName } from '../../demo/dashboards.js';
import { demoPassword } from '../../demo/seed.js';
import { type Platform, startPlatform } from '../../platform.js';

type Json = Record<string, unknown>;

describe('dashboards API', () => {
  let platform: Platform;
  let dataDir: string;
  const token: Record<string, string> = {};
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, as: string, payload?: unknown) => {
    const res = await platform.app.inject({ method, url, headers: { authorization: `Bearer ${token[as]}` }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Json };
  };
  const layout = { widgets: [{ id: 'v1', type: 'value', device: 'cnc-01', point: 'spindle_speed' }] };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-dashboards-'));
    const env = { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' };
    platform = await startPlatform(loadConfig({ env }), { quiet: true });
    for (const user of ['demo-admin', 'demo-engineer', 'demo-analyst', 'demo2-admin', 'demo-authority']) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token[user] = res.json<{ token: string }>().token;
    }
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo enterprise’s overview dashboard once, with a widget of every kind but the placeholders first', async () => {
    const list = await call('GET', '/api/v1/dashboards', 'demo-analyst');
    expect(list.status).toBe(200);
    const items = list.body['items'] as Array<{ id: string; name: string; widgets: number }>;
    expect(items.filter((d) => d.name === demoDashboardName)).toHaveLength(1);
    const demo = await call('GET', `/api/v1/dashboards/${items[0]?.id}`, 'demo-analyst');
    const types = (demo.body['layout'] as { widgets: Array<{ type: string }> }).widgets.map((w) => w.type);
    expect(new Set(types)).toEqual(new Set(['status-grid', 'value', 'gauge', 'timeseries', 'floor-map', 'alarm-list']));
  });

  it('creates, replaces and deletes a dashboard, fills defaults and audits each change', async () => {
    const created = await call('POST', '/api/v1/dashboards', 'demo-engineer', { name: '1号线', layout });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '1号线', createdBy: 'demo-engineer', layout: { refreshSeconds: 30, widgets: [{ id: 'v1', type: 'value', title: '', w: 4, h: 2 }] } });
    const id = created.body['id'] as string;

    const replaced = await call('PUT', `/api/v1/dashboards/${id}`, 'demo-admin', { name: '1号线 看板', layout: { widgets: [{ id: 'g', type: 'gauge', device: 'cnc-01', point: 'spindle_load', min: 0, max: 150, w: 6 }], refreshSeconds: 10 } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: '1号线 看板', updatedBy: 'demo-admin', layout: { refreshSeconds: 10, widgets: [{ id: 'g', w: 6 }] } });

    expect((await call('DELETE', `/api/v1/dashboards/${id}`, 'demo-engineer')).status).toBe(204);
    expect((await call('GET', `/api/v1/dashboards/${id}`, 'demo-engineer')).body).toMatchObject({ error: { code: 'DASHBOARD_NOT_FOUND' } });

    const audit = await call('GET', '/api/v1/audit?limit=20', 'demo-admin');
    const actions = (audit.body['items'] as Array<{ action: string; target: string; actor: string }>).filter((e) => e.target === id).map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual(['dashboard.delete demo-engineer', 'dashboard.update demo-admin', 'dashboard.create demo-engineer']);
  });

  it('rejects a layout with an unknown widget kind, a missing field, a gauge without a range or duplicate ids', async () => {
    const bad = [
      { widgets: [{ id: 'x', type: 'pie', device: 'cnc-01' }] },
      { widgets: [{ id: 'x', type: 'value', device: 'cnc-01' }] },
      { widgets: [{ id: 'x', type: 'gauge', device: 'cnc-01', point: 'p', min: 10, max: 10 }] },
      { widgets: [layout.widgets[0], layout.widgets[0]] },
      { widgets: [], extra: true },
    ];
    for (const l of bad) {
      const res = await call('POST', '/api/v1/dashboards', 'demo-engineer', { name: 'bad', layout: l });
      expect(res.status, JSON.stringify(l)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('lets readers look but not change, and keeps each enterprise’s dashboards to itself', async () => {
    const mine = await call('POST', '/api/v1/dashboards', 'demo-admin', { name: 'private', layout });
    const id = mine.body['id'] as string;
    expect((await call('POST', '/api/v1/dashboards', 'demo-analyst', { name: 'x', layout })).status).toBe(403);
    expect((await call('PUT', `/api/v1/dashboards/${id}`, 'demo-analyst', { name: 'x', layout })).status).toBe(403);
    expect((await call('GET', '/api/v1/dashboards', 'demo-authority')).status).toBe(403);

    const theirs = await call('GET', '/api/v1/dashboards', 'demo2-admin');
    expect((theirs.body['items'] as Array<{ id: string }>).map((d) => d.id)).not.toContain(id);
    for (const method of ['GET', 'DELETE'] as const) expect((await call(method, `/api/v1/dashboards/${id}`, 'demo2-admin')).status).toBe(404);
    expect((await call('PUT', `/api/v1/dashboards/${id}`, 'demo2-admin', { name: 'mine now', layout })).status).toBe(404);
  });
});

/**
 * Industrial data classification and grading (工业数据分类分级) on the demo platform, on SQLite and
 * PostgreSQL: a level-3 point's values are sealed with SM4 before they reach the store (checked on the
 * raw tables), hidden from a viewer and an operator (403 when named) and opened for an engineer or a
 * granted user; exports of level-2 data need an approval by someone else and come watermarked, signed
 * and logged; an override without a reason is refused.
 */
import { readFile } from 'node:fs/promises';
import type { Sample } from '@yulian/contracts';
import { loadConfig, storeBackends } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';
import { verifyWatermarked } from '@yulian/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A value no other sample has, to look for in the raw tables. */
const secret = 7919.6173;

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`data classification on ${backend.name}`, () => {
    let platform: Platform;
    let cleanup: () => Promise<void>;
    let tenantId: string;
    const tokens = new Map<string, string>();
    const t0 = Date.now() - 600_000;

    const login = async (user: string, password = demoPassword): Promise<string> => {
      let token = tokens.get(user);
      if (!token) {
        const r = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password } });
        token = (r.json() as { token: string }).token;
        tokens.set(user, token);
      }
      return token;
    };
    const raw = async (method: string, url: string, user: string, body?: unknown) =>
      platform.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await login(user)}` }, ...(body === undefined ? {} : { payload: body as object }) });
    const call = async (method: string, url: string, user: string, body?: unknown): Promise<{ status: number; json: Json }> => {
      const r = await raw(method, url, user, body);
      return { status: r.statusCode, json: r.body ? r.json() : undefined };
    };
    const samples = (device: string, point: string, values: number[], from: number): Sample[] =>
      values.map((value, i) => ({ device, point, ts: from + i * 1000, receivedTs: from + i * 1000 + 3, value, quality: 'good' as const }));

    beforeAll(async () => {
      const opened = await backend.open();
      cleanup = opened.cleanup;
      await opened.store.close();
      platform = await startPlatform(
        loadConfig({ env: { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_DATA_DIR: opened.dataDir, YULIAN_STORE: opened.url, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd', YULIAN_DEMO: '1' } }),
        { quiet: true },
      );
      tenantId = (await call('GET', '/api/v1/auth/me', 'demo-admin')).json.tenantId;
      const viewer = await call('POST', '/api/v1/users', 'demo-admin', { username: 'dc-viewer', password: 'viewer-Passw0rd', role: 'viewer', displayName: '只读用户' });
      expect(viewer.status).toBe(201);
      await login('dc-viewer', 'viewer-Passw0rd');
    });
    afterAll(async () => {
      await platform?.close();
      await cleanup?.();
    });

    it('refuses an override without a reason, records one with a reason, and keeps and audits every change', async () => {
      await platform.telemetry.write(tenantId, samples('dc-kiln', 'zone_temp', [600, 601], t0));
      const points = await call('GET', '/api/v1/data-classification/devices/dc-kiln/points', 'demo-operator');
      expect(points.json.items).toEqual([expect.objectContaining({ point: 'zone_temp', category: 'production.condition', level: 1, source: 'default' })]);

      const url = '/api/v1/data-classification/devices/dc-kiln/points/zone_temp';
      const noReason = await call('PUT', url, 'demo-admin', { category: 'production.process', level: 2 });
      expect(noReason).toMatchObject({ status: 400, json: { error: { code: 'CLASSIFICATION_REASON_REQUIRED', details: { default: { category: 'production.condition', level: 1 } } } } });
      const blank = await call('PUT', url, 'demo-admin', { category: 'production.condition', level: 2, reason: '   ' });
      expect(blank.json.error.code).toBe('CLASSIFICATION_REASON_REQUIRED');
      expect((await call('PUT', url, 'demo-operator', { category: 'production.condition', level: 2, reason: 'x' })).json.error.code).toBe('FORBIDDEN');

      const ok = await call('PUT', url, 'demo-admin', { category: 'production.process', level: 2, reason: '窑温即工艺参数 the kiln temperature is the recipe' });
      expect(ok).toMatchObject({ status: 200, json: { category: 'production.process', level: 2, source: 'override', setBy: 'demo-admin' } });
      // Back at the default: no reason needed, the override is gone.
      const reset = await call('PUT', url, 'demo-admin', { category: 'production.condition', level: 1 });
      expect(reset.json).toMatchObject({ level: 1, source: 'default', reason: null });

      const history = await call('GET', `/api/v1/data-classification/history?subject=${encodeURIComponent('point:dc-kiln/zone_temp')}`, 'demo-admin');
      expect(history.json.items.map((h: Json) => [h.level, h.previousLevel])).toEqual([[1, 2], [2, 1]]);
      const audit = await call('GET', '/api/v1/audit?action=data.classify', 'demo-admin');
      expect(audit.json.items.filter((e: Json) => e.target === 'point:dc-kiln/zone_temp')).toHaveLength(2);
    });

    it('stores a level-3 point’s values sealed with SM4: no plaintext in the raw tables, an envelope instead', async () => {
      // History from before the classification is sealed too.
      await platform.telemetry.write(tenantId, [...samples('dc-press', 'pressure_limit', [secret - 1], t0), ...samples('dc-press', 'ram_speed', [12.5], t0)]);
      const put = await call('PUT', '/api/v1/data-classification/devices/dc-press/points/pressure_limit', 'demo-admin', { category: 'production.process', level: 3, reason: '超压联锁限值，泄露或篡改可致重大事故 the overpressure trip limit' });
      expect(put).toMatchObject({ status: 200, json: { level: 3, source: 'override' } });

      const values = [secret, secret + 1, secret + 2];
      const stored = await platform.telemetry.write(tenantId, [...samples('dc-press', 'pressure_limit', values, t0 + 10_000), ...samples('dc-press', 'ram_speed', [13, 14, 15], t0 + 10_000)]);
      expect(stored).toEqual({ stored: 6, rejected: 0 });
      await platform.telemetry.flushRollups({ open: true });

      const db = platform.store.db;
      const numeric = await sql<{ value: number | null; text: string | null }>`SELECT s.value, s.text FROM telemetry_samples s JOIN telemetry_series r ON r.id = s.series_id WHERE r.device = 'dc-press' AND r.point = 'pressure_limit'`.execute(db);
      expect(numeric.rows).toEqual([]);
      const rollups = await sql<{ n: number }>`SELECT count(*) AS n FROM telemetry_1m m JOIN telemetry_series r ON r.id = m.series_id WHERE r.device = 'dc-press' AND r.point = 'pressure_limit'`.execute(db);
      expect(Number(rollups.rows[0]!.n)).toBe(0);
      // The other point of the device is stored as before.
      const plain = await sql<{ value: number }>`SELECT s.value FROM telemetry_samples s JOIN telemetry_series r ON r.id = s.series_id WHERE r.device = 'dc-press' AND r.point = 'ram_speed' ORDER BY s.ts`.execute(db);
      expect(plain.rows.map((r) => Number(r.value))).toEqual([12.5, 13, 14, 15]);

      const sealed = await sql<{ ts: number; envelope: string }>`SELECT ts, envelope FROM telemetry_sealed WHERE device = 'dc-press' AND point = 'pressure_limit' ORDER BY ts`.execute(db);
      expect(sealed.rows).toHaveLength(4);
      for (const r of sealed.rows) {
        expect(r.envelope).toMatch(/^ysm4\.v1\.[0-9a-f]{16}\.ctr\./);
        expect(r.envelope).not.toContain(String(Math.floor(secret)));
        expect(Buffer.from(r.envelope.split('.').slice(4).join(''), 'base64url').toString('latin1')).not.toContain(String(Math.floor(secret)));
      }
      // Nowhere else as text either.
      const everything = await sql<{ t: string }>`SELECT envelope AS t FROM telemetry_sealed UNION ALL SELECT coalesce(text, '') AS t FROM telemetry_samples`.execute(db);
      expect(everything.rows.some((r) => r.t.includes(String(secret)))).toBe(false);
      if (backend.name === 'sqlite') {
        // The database file and its write-ahead log, byte for byte: neither the number (a REAL is 8 bytes
        // big-endian) nor its text, for the values written after the point became level 3.
        const bytes = Buffer.concat([await readFile(platform.store.location), await readFile(`${platform.store.location}-wal`).catch(() => Buffer.alloc(0))]);
        for (const v of values) {
          const real = Buffer.alloc(8);
          real.writeDoubleBE(v);
          expect(bytes.includes(real)).toBe(false);
          expect(bytes.includes(Buffer.from(String(v)))).toBe(false);
        }
        // A value stored as a number before: found the same way (the check can fail).
        const seen = Buffer.alloc(8);
        seen.writeDoubleBE(12.5);
        expect(bytes.includes(seen)).toBe(true);
      }
    });

    it('hides a level-3 point from a viewer and an operator (403 when named) and opens it for an engineer', async () => {
      for (const user of ['dc-viewer', 'demo-operator']) {
        const latest = await call('GET', '/api/v1/devices/dc-press/latest', user);
        expect(latest.status).toBe(200);
        expect(latest.json.items.map((i: Json) => i.point)).toEqual(['ram_speed']);
        const named = await call('GET', `/api/v1/devices/dc-press/telemetry?point=pressure_limit&from=${t0}&to=${t0 + 60_000}`, user);
        expect(named).toMatchObject({ status: 403, json: { error: { code: 'DATA_LEVEL_DENIED', details: { points: ['pressure_limit'] } } } });
        const all = await call('GET', `/api/v1/devices/dc-press/telemetry?from=${t0}&to=${t0 + 60_000}`, user);
        expect(all.json.series.map((s: Json) => s.point)).toEqual(['ram_speed']);
        const multi = await call('POST', '/api/v1/telemetry/query', user, { series: [{ device: 'dc-press', point: 'pressure_limit' }], from: t0, to: t0 + 60_000 });
        expect(multi.json.error.code).toBe('DATA_LEVEL_DENIED');
        const csv = await call('GET', `/api/v1/devices/dc-press/telemetry.csv?point=pressure_limit&from=${t0}&to=${t0 + 60_000}`, user);
        expect(csv.json.error.code).toBe('DATA_LEVEL_DENIED');
      }

      const latest = await call('GET', '/api/v1/devices/dc-press/latest', 'demo-engineer');
      expect(latest.json.items).toEqual([
        expect.objectContaining({ point: 'pressure_limit', value: secret + 2, ts: t0 + 12_000, quality: 'good' }),
        expect.objectContaining({ point: 'ram_speed', value: 15 }),
      ]);
      const series = await call('GET', `/api/v1/devices/dc-press/telemetry?point=pressure_limit&from=${t0}&to=${t0 + 60_000}`, 'demo-engineer');
      expect(series.json.series[0].points.map((p: Json) => p.value)).toEqual([secret - 1, secret, secret + 1, secret + 2]);

      // A grant lets one viewer read it; withdrawn, it is refused again.
      expect((await call('POST', '/api/v1/data-classification/grants', 'demo-admin', { username: 'dc-viewer', reason: '质量追溯 quality investigation' })).status).toBe(204);
      const granted = await call('GET', `/api/v1/devices/dc-press/telemetry?point=pressure_limit&from=${t0}&to=${t0 + 60_000}`, 'dc-viewer');
      expect(granted.json.series[0].points).toHaveLength(4);
      expect((await call('DELETE', '/api/v1/data-classification/grants/dc-viewer', 'demo-admin')).status).toBe(204);
      expect((await call('GET', `/api/v1/devices/dc-press/telemetry?point=pressure_limit&from=${t0}&to=${t0 + 60_000}`, 'dc-viewer')).status).toBe(403);

      const report = await call('GET', `/api/v1/data-classification/access-report?dataset=telemetry:dc-press`, 'demo-admin');
      expect(report.json.level).toBe(3);
      const byActor = Object.fromEntries(report.json.byActor.map((a: Json) => [a.actor, a]));
      expect(byActor['demo-engineer']).toMatchObject({ reads: 2, denied: 0 });
      expect(byActor['dc-viewer'].denied).toBe(4);
      expect(byActor['dc-viewer'].reads).toBe(1);
    });

    it('refuses a level-2 export without approval, and serves it approved by another user watermarked, signed and logged', async () => {
      await platform.telemetry.write(tenantId, samples('dc-mill', 'feed', [1, 2, 3], t0));
      const csvUrl = `/api/v1/devices/dc-mill/telemetry.csv?from=${t0}&to=${t0 + 60_000}`;
      // Level 1: straight through, logged.
      const direct = await raw('GET', csvUrl, 'demo-engineer');
      expect(direct.statusCode).toBe(200);
      expect(direct.body.split('\n').filter((l) => l.startsWith('dc-mill,feed,'))).toHaveLength(3);

      expect((await call('PUT', '/api/v1/data-classification/datasets/telemetry:dc-mill', 'demo-admin', { category: 'platform.iot', level: 2, reason: '含客户订单节拍 reveals order volumes' })).json).toMatchObject({ level: 2, source: 'override' });
      const refused = await call('GET', csvUrl, 'demo-engineer');
      expect(refused).toMatchObject({ status: 403, json: { error: { code: 'EXPORT_APPROVAL_REQUIRED', details: { dataset: 'telemetry:dc-mill', level: 2 } } } });

      const request = await call('POST', '/api/v1/data-classification/exports', 'demo-engineer', { device: 'dc-mill', from: t0, to: t0 + 60_000, purpose: '设备供应商故障分析 vendor fault analysis' });
      expect(request).toMatchObject({ status: 201, json: { status: 'pending', level: 2, requestedBy: 'demo-engineer' } });
      const id = request.json.id as string;
      expect((await call('GET', `/api/v1/data-classification/exports/${id}/download`, 'demo-engineer')).json.error.code).toBe('EXPORT_REQUEST_STATE_INVALID');
      expect((await call('POST', `/api/v1/data-classification/exports/${id}/approve`, 'demo-engineer', {})).json.error.code).toBe('FORBIDDEN');
      const inbox = await call('GET', '/api/v1/data-classification/exports?status=pending', 'demo-admin');
      expect(inbox.json.items.map((r: Json) => r.id)).toContain(id);
      const approved = await call('POST', `/api/v1/data-classification/exports/${id}/approve`, 'demo-admin', { note: '同意 approved' });
      expect(approved.json).toMatchObject({ status: 'approved', decidedBy: 'demo-admin' });
      expect((await call('POST', `/api/v1/data-classification/exports/${id}/approve`, 'demo-admin', {})).json.error.code).toBe('EXPORT_REQUEST_STATE_INVALID');
      // Only the requester downloads it.
      expect((await call('GET', `/api/v1/data-classification/exports/${id}/download`, 'demo-admin')).json.error.code).toBe('EXPORT_REQUEST_NOT_FOUND');

      const file = await raw('GET', `/api/v1/data-classification/exports/${id}/download`, 'demo-engineer');
      expect(file.statusCode).toBe(200);
      const text = file.body;
      expect(text.split('\n').slice(0, 4).join('\n')).toMatch(/# 数据导出水印 \/ Export watermark\n# 申请人 requester: demo-engineer; 审批人 approved by: demo-admin; 申请单 request: [0-9a-f-]{36}\n# 导出时间 exported at: .*; 数据集 dataset: telemetry:dc-mill; 级别 level: 2\n# 用途 purpose: 设备供应商故障分析 vendor fault analysis/);
      expect(text).toContain(id);
      expect(text.split('\n').filter((l) => l.startsWith('dc-mill,feed,'))).toHaveLength(3);
      const check = verifyWatermarked(text);
      expect(check).toMatchObject({ digestOk: true, signatureOk: true });
      expect(check.publicKey).toBe((await call('GET', '/api/v1/data-classification/exports/signing-key', 'demo-engineer')).json.publicKey);
      expect(verifyWatermarked(text.replace('dc-mill,feed,', 'dc-mill,feed2,')).digestOk).toBe(false);

      const report = await call('GET', '/api/v1/data-classification/access-report?dataset=telemetry:dc-mill', 'demo-admin');
      expect(report.json.entries.filter((e: Json) => e.action === 'export').map((e: Json) => [e.actor, e.rows, e.requestId])).toEqual([
        ['demo-engineer', 3, id],
        ['demo-engineer', 3, null],
      ]);
      expect(report.json.totals).toMatchObject({ exports: 2, denied: 1 });
      const audit = await call('GET', '/api/v1/audit?action=data.export.download', 'demo-admin');
      expect(audit.json.items[0]).toMatchObject({ actor: 'demo-engineer', target: id });
      const requests = await call('GET', '/api/v1/data-classification/exports', 'demo-engineer');
      expect(requests.json.items.find((r: Json) => r.id === id).downloads).toBe(1);
    });

    it('keeps a level-3 point out of an export for those without data:level3, even approved', async () => {
      const asks = await call('POST', '/api/v1/data-classification/exports', 'demo-operator', { device: 'dc-press', points: ['pressure_limit'], from: t0, to: t0 + 60_000, purpose: '排查 troubleshooting' });
      expect(asks.json.error.code).toBe('DATA_LEVEL_DENIED');
      const engineer = await call('POST', '/api/v1/data-classification/exports', 'demo-engineer', { device: 'dc-press', from: t0, to: t0 + 60_000, purpose: '工艺评审 process review' });
      expect(engineer.json).toMatchObject({ status: 'pending', level: 3 });
      await call('POST', `/api/v1/data-classification/exports/${engineer.json.id}/approve`, 'demo-admin', {});
      const file = await raw('GET', `/api/v1/data-classification/exports/${engineer.json.id}/download`, 'demo-engineer');
      const values = file.body.split('\n').filter((l) => l.startsWith('dc-press,pressure_limit,')).map((l) => Number(l.split(',')[4]));
      expect(values).toEqual([secret - 1, secret, secret + 1, secret + 2]);
    });
  });
}

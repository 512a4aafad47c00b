import { type Store, storeBackends } from '@yulian/core';
import { type HandlesApiOptions, type HandlesOperation, type RecordStore, createRecordStore, handlesApi, localBackend } from '@yulian/identifier';
import { Permission, encodeAdmin, encodeValues, handleValue } from '@yulian/protocols';
import Fastify, { type FastifyInstance, type InjectOptions, LogController } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const nowMs = 1_700_000_000_000;
const nowIso = '2023-11-14T22:13:20Z';
const url = (i: number, v: string, options: Parameters<typeof handleValue>[3] = {}) => handleValue(i, 'URL', v, { timestamp: 1_006_359_695, ...options });

/** What one request answered: status, parsed JSON, and the body as sent. */
interface Answer {
  status: number;
  json: Record<string, unknown>;
  body: string;
}

/** A Fastify app like the server's (trailing slashes ignored), its log lines kept. */
async function appWith(options: HandlesApiOptions, logs: string[] = []): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } }, logController: new LogController({ disableRequestLogging: true }), routerOptions: { ignoreTrailingSlash: true } });
  await app.register(handlesApi, options);
  await app.ready();
  return app;
}

async function call(app: FastifyInstance, method: InjectOptions['method'], path: string, payload?: unknown, headers?: Record<string, string>): Promise<Answer> {
  const r = await app.inject({ method, url: path, ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }), headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers } });
  return { status: r.statusCode, json: r.json<Record<string, unknown>>(), body: r.body };
}

const valuesOf = (a: Answer): Array<Record<string, unknown>> => a.json['values'] as Array<Record<string, unknown>>;

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`Handle.Net HTTP JSON API on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let records: RecordStore;
    let app: FastifyInstance;
    const logs: string[] = [];
    const asked: Array<[HandlesOperation, string]> = [];
    let drawn = 0;

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      records = createRecordStore(store);
      await records.create('88.100.1/ABC-001', [
        url(1, 'https://example.com/abc-001'),
        handleValue(2, 'EMAIL', 'qa@example.com', { timestamp: 1_006_359_695 }),
        handleValue(3, 'URL.mobile', 'https://m.example.com/abc-001', { timestamp: 1_006_359_695 }),
        handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: 0x07ff, handle: '0.NA/88.100.1', index: 200 }), { timestamp: 1_006_359_695 }),
        handleValue(300, 'HS_SECKEY', 'not for the public', { timestamp: 1_006_359_695, permissions: Permission.ADMIN_READ | Permission.ADMIN_WRITE }),
      ]);
      app = await appWith(
        {
          backend: localBackend(records),
          records,
          now: () => nowMs,
          mintSuffix: () => `m${++drawn}`,
          authorize: async (request, op, target) => {
            asked.push([op, target]);
            if (request.headers['x-deny'] === 'yes') return false;
            if (request.headers['x-deny'] === 'login') return { responseCode: 402, message: 'Log in first.' };
            return true;
          },
        },
        logs,
      );
    });
    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    it('answers a resolution byte for byte in the shape of the reference example, and a miss likewise', async () => {
      const ok = await call(app, 'GET', '/api/handles/88.100.1/ABC-001?type=URL&index=1');
      expect(ok.status).toBe(200);
      expect(ok.body).toBe(
        '{"responseCode":1,"handle":"88.100.1/ABC-001","values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.com/abc-001"},"ttl":86400,"timestamp":"2001-11-21T16:21:35Z"},' +
          '{"index":3,"type":"URL.mobile","data":{"format":"string","value":"https://m.example.com/abc-001"},"ttl":86400,"timestamp":"2001-11-21T16:21:35Z"}]}',
      );
      const miss = await call(app, 'GET', '/api/handles/88.100.1/none');
      expect(miss.status).toBe(404);
      expect(miss.body).toBe('{"responseCode":100,"handle":"88.100.1/none","message":"Handle not found"}');
    });

    it('filters by type (with sub-types) and index, shows public values only, and HS_ADMIN in the admin format', async () => {
      const all = await call(app, 'GET', '/api/handles/88.100.1/ABC-001?auth=true&pretty');
      expect(valuesOf(all).map((v) => v['index'])).toEqual([1, 2, 3, 100]);
      expect(valuesOf(all)[3]!['data']).toEqual({ format: 'admin', value: { handle: '0.NA/88.100.1', index: 200, permissions: '011111111111' } });
      expect(valuesOf(await call(app, 'GET', '/api/handles/88.100.1/ABC-001?type=URL')).map((v) => v['type'])).toEqual(['URL', 'URL.mobile']);
      expect(valuesOf(await call(app, 'GET', '/api/handles/88.100.1/ABC-001?type=email&index=100')).map((v) => v['index'])).toEqual([2, 100]);
      expect(valuesOf(await call(app, 'GET', '/api/handles/88.100.1/ABC-001?index=2&index=3')).map((v) => v['index'])).toEqual([2, 3]);
      const none = await call(app, 'GET', '/api/handles/88.100.1/ABC-001?type=HS_SECKEY');
      expect(none.status).toBe(200);
      expect(none.json).toEqual({ responseCode: 200, handle: '88.100.1/ABC-001', message: 'No values of the requested types or indexes', values: [] });
      const bad = await call(app, 'GET', '/api/handles/88.100.1/ABC-001?index=one');
      expect([bad.status, bad.json['responseCode']]).toEqual([400, 4]);
    });

    it('takes the handle from the rest of the path: slashes, percent-encoded slashes, Chinese, a literal +, a lower-case prefix', async () => {
      // Handle.Net decodes the path without turning '+' into a space.
      const suffix = `${encodeURIComponent('批次')}/${encodeURIComponent('轴承 01')}+x`;
      const created = await call(app, 'PUT', `/api/handles/88.100.ab/${suffix}`, { values: [{ index: 1, type: 'URL', data: { format: 'string', value: 'https://example.com/轴承' } }] });
      expect([created.status, created.json]).toEqual([201, { responseCode: 1, handle: '88.100.AB/批次/轴承 01+x' }]);
      for (const path of [`88.100.AB/${suffix}`, `88.100.ab%2F${suffix.replace('/', '%2F')}`]) {
        const got = await call(app, 'GET', `/api/handles/${path}`);
        expect([got.status, got.json['handle'], valuesOf(got)[0]!['data']]).toEqual([200, '88.100.AB/批次/轴承 01+x', { format: 'string', value: 'https://example.com/轴承' }]);
      }
      expect(await records.get('88.100.AB/批次/轴承 01+x')).toBeDefined();
    });

    it('refuses an invalid identifier with RC 102 naming the syntax problem, and an empty one as Handle.Net does', async () => {
      for (const [method, payload] of [['GET', undefined], ['PUT', []], ['DELETE', undefined]] as const) {
        const r = await call(app, method, '/api/handles/88..1/x', payload);
        expect([method, r.status, r.json['responseCode']]).toEqual([method, 400, 102]);
        expect(r.json['message']).toMatch(/^ID_PREFIX_SEGMENT_EMPTY: /);
      }
      const empty = await call(app, 'GET', '/api/handles/');
      expect([empty.status, empty.json]).toEqual([400, { responseCode: 102, message: 'Empty handle invalid' }]);
      expect((await call(app, 'GET', '/api/handles/88.100.1')).json['message']).toMatch(/^ID_NO_SUFFIX: /);
    });

    it('creates a handle (201), stamps its values, and gives it the prefix admins at index 100', async () => {
      const r = await call(app, 'PUT', '/api/handles/88.100.1/NEW-1', [{ index: 1, type: 'URL', data: 'https://example.com/new-1', timestamp: '2001-01-01T00:00:00Z' }]);
      expect([r.status, r.json]).toEqual([201, { responseCode: 1, handle: '88.100.1/NEW-1' }]);
      const got = await call(app, 'GET', '/api/handles/88.100.1/NEW-1');
      expect(valuesOf(got)).toEqual([
        { index: 1, type: 'URL', data: { format: 'string', value: 'https://example.com/new-1' }, ttl: 86_400, timestamp: nowIso },
        { index: 100, type: 'HS_ADMIN', data: { format: 'admin', value: { handle: '0.NA/88.100.1', index: 200, permissions: '111111111111' } }, ttl: 86_400, timestamp: nowIso },
      ]);
      expect(asked).toContainEqual(['create', '88.100.1/NEW-1']);
    });

    it('replaces a handle by default (200), keeping its admin, refuses with overwrite=false (409), and reads every body shape', async () => {
      await call(app, 'PUT', '/api/handles/88.100.1/OW', [{ index: 1, type: 'URL', data: 'https://example.com/1' }, { index: 100, type: 'HS_ADMIN', data: { format: 'admin', value: { handle: '88.100.1/admin', index: 300, permissions: '011111111111' } } }]);
      const replaced = await call(app, 'PUT', '/api/handles/88.100.1/OW', { handle: '88.100.1/OW', values: [{ index: 2, type: 'EMAIL', data: 'a@example.com' }] });
      expect([replaced.status, replaced.json]).toEqual([200, { responseCode: 1, handle: '88.100.1/OW' }]);
      expect(asked).toContainEqual(['modify', '88.100.1/OW']);
      const after = valuesOf(await call(app, 'GET', '/api/handles/88.100.1/OW'));
      expect(after.map((v) => [v['index'], v['type']])).toEqual([[2, 'EMAIL'], [100, 'HS_ADMIN']]);
      expect((after[1]!['data'] as { value: { handle: string } }).value.handle).toBe('88.100.1/admin');
      const conflict = await call(app, 'PUT', '/api/handles/88.100.1/OW?overwrite=false', { index: 1, type: 'URL', data: 'x' });
      expect([conflict.status, conflict.json['responseCode']]).toEqual([409, 101]);
      const fresh = await call(app, 'PUT', '/api/handles/88.100.1/OW-2?overwrite=FALSE', { index: 1, type: 'URL', data: 'x' });
      expect([fresh.status, fresh.json['responseCode']]).toEqual([201, 1]);
      const mismatch = await call(app, 'PUT', '/api/handles/88.100.1/OW', { handle: '88.100.1/other', values: [] });
      expect([mismatch.status, mismatch.json['responseCode']]).toEqual([400, 4]);
      const typo = await call(app, 'PUT', '/api/handles/88.100.1/OW?overwrite=yes', []);
      expect([typo.status, typo.json['responseCode']]).toEqual([400, 4]);
    });

    it('adds or replaces only the values named by index=, refusing a mismatch, an existing value without overwrite, and a missing handle', async () => {
      await call(app, 'PUT', '/api/handles/88.100.1/IDX', [{ index: 1, type: 'URL', data: 'https://example.com/1' }, { index: 2, type: 'EMAIL', data: 'a@example.com' }]);
      const replaced = await call(app, 'PUT', '/api/handles/88.100.1/IDX?index=2&index=3', [{ index: 2, type: 'EMAIL', data: 'b@example.com' }, { index: 3, type: 'DESC', data: '轴承' }]);
      expect([replaced.status, replaced.json]).toEqual([200, { responseCode: 1, handle: '88.100.1/IDX' }]);
      const got = valuesOf(await call(app, 'GET', '/api/handles/88.100.1/IDX'));
      expect(got.map((v) => [v['index'], (v['data'] as { value: unknown }).value])).toEqual([[1, 'https://example.com/1'], [2, 'b@example.com'], [100, expect.anything()], [3, '轴承']]);
      expect(got.find((v) => v['index'] === 1)!['timestamp']).toBe(nowIso);
      const various = await call(app, 'PUT', '/api/handles/88.100.1/IDX?index=various', { values: [{ index: 4, type: 'DESC', data: 'x' }] });
      expect(various.status).toBe(200);
      const exists = await call(app, 'PUT', '/api/handles/88.100.1/IDX?index=4&overwrite=false', [{ index: 4, type: 'DESC', data: 'y' }]);
      expect([exists.status, exists.json['responseCode']]).toEqual([409, 201]);
      const added = await call(app, 'PUT', '/api/handles/88.100.1/IDX?index=5&overwrite=false', [{ index: 5, type: 'DESC', data: 'y' }]);
      expect([added.status, added.json['responseCode']]).toEqual([201, 1]);
      const mismatch = await call(app, 'PUT', '/api/handles/88.100.1/IDX?index=6', [{ index: 7, type: 'DESC', data: 'y' }]);
      expect([mismatch.status, mismatch.json['responseCode']]).toEqual([400, 4]);
      const missing = await call(app, 'PUT', '/api/handles/88.100.1/NO-SUCH?index=1', [{ index: 1, type: 'URL', data: 'y' }]);
      expect([missing.status, missing.json['responseCode']]).toEqual([404, 100]);
    });

    it('mints a new suffix under the given prefix and start, drawing again when one exists', async () => {
      const first = await call(app, 'PUT', '/api/handles/88.100.1/?mintNewSuffix=true', [{ index: 1, type: 'URL', data: 'https://example.com/m' }]);
      expect([first.status, first.json]).toEqual([201, { responseCode: 1, handle: `88.100.1/m${drawn}` }]);
      await records.create(`88.100.1/lot-m${drawn + 1}`, encodeValues([url(1, 'taken')]));
      const lot = await call(app, 'PUT', '/api/handles/88.100.1/lot-?mintNewSuffix=true', [{ index: 1, type: 'URL', data: 'https://example.com/lot' }]);
      expect([lot.status, lot.json]).toEqual([201, { responseCode: 1, handle: `88.100.1/lot-m${drawn}` }]);
      expect(valuesOf(await call(app, 'GET', `/api/handles/88.100.1/lot-m${drawn}`))[0]!['data']).toEqual({ format: 'string', value: 'https://example.com/lot' });
      const withIndex = await call(app, 'PUT', '/api/handles/88.100.1/?mintNewSuffix=true&index=1', [{ index: 1, type: 'URL', data: 'x' }]);
      expect([withIndex.status, withIndex.json['responseCode']]).toEqual([400, 4]);
    });

    it('deletes a whole handle, or only the values at index=', async () => {
      await call(app, 'PUT', '/api/handles/88.100.1/DEL', [{ index: 1, type: 'URL', data: 'a' }, { index: 2, type: 'URL', data: 'b' }, { index: 3, type: 'URL', data: 'c' }]);
      const some = await call(app, 'DELETE', '/api/handles/88.100.1/DEL?index=1&index=3');
      expect([some.status, some.json]).toEqual([200, { responseCode: 1, handle: '88.100.1/DEL' }]);
      expect(valuesOf(await call(app, 'GET', '/api/handles/88.100.1/DEL')).map((v) => v['index'])).toEqual([2, 100]);
      const absent = await call(app, 'DELETE', '/api/handles/88.100.1/DEL?index=9');
      expect([absent.status, absent.json['responseCode']]).toEqual([400, 200]);
      expect(asked).toContainEqual(['modify', '88.100.1/DEL']);
      const whole = await call(app, 'DELETE', '/api/handles/88.100.1/DEL');
      expect([whole.status, whole.json]).toEqual([200, { responseCode: 1, handle: '88.100.1/DEL' }]);
      expect(asked).toContainEqual(['delete', '88.100.1/DEL']);
      const again = await call(app, 'DELETE', '/api/handles/88.100.1/DEL');
      expect([again.status, again.json['responseCode']]).toEqual([404, 100]);
    });

    it('lists a prefix page by page in key order, totalCount as a string, never a neighbouring prefix', async () => {
      const handles = Array.from({ length: 25 }, (_, i) => `88.100.9/item-${String(i).padStart(2, '0')}`);
      await records.insertMany([...handles, '88.100.90/x', '88.100.9.1/y'].map((h) => [h, encodeValues([url(1, h)])] as const));
      const page = await call(app, 'GET', '/api/handles?prefix=88.100.9&page=1&pageSize=10');
      expect([page.status, page.body]).toEqual([200, JSON.stringify({ responseCode: 1, prefix: '88.100.9', totalCount: '25', page: 1, pageSize: 10, handles: handles.slice(10, 20) })]);
      expect((await call(app, 'GET', '/api/handles?prefix=88.100.9&page=2&pageSize=10')).json['handles']).toEqual(handles.slice(20));
      expect((await call(app, 'GET', '/api/handles?prefix=88.100.9&page=9&pageSize=10')).json['handles']).toEqual([]);
      expect((await call(app, 'GET', '/api/handles/?prefix=0.na/88.100.9&page=0&pageSize=0')).json).toEqual({ responseCode: 1, prefix: '0.na/88.100.9', totalCount: '25', page: 0, pageSize: 0, handles: [] });
      expect((await call(app, 'GET', '/api/handles?prefix=88.100.9')).json).toEqual({ responseCode: 1, prefix: '88.100.9', totalCount: '25', handles });
      expect(asked).toContainEqual(['list', '88.100.9']);
      for (const q of ['page=0&pageSize=1001', 'page=101&pageSize=1000', 'page=x&pageSize=10']) {
        const r = await call(app, 'GET', `/api/handles?prefix=88.100.9&${q}`);
        expect([q, r.status, r.json['responseCode']]).toEqual([q, 400, 4]);
      }
      const bad = await call(app, 'GET', '/api/handles?prefix=88..9');
      expect([bad.status, bad.json['responseCode'], bad.json['handle']]).toEqual([400, 102, '88..9']);
    });

    it('asks for paging rather than list more than a page at once', async () => {
      await records.insertMany(Array.from({ length: 1001 }, (_, i) => [`88.100.77/${i}`, encodeValues([url(1, 'x')])] as const));
      const all = await call(app, 'GET', '/api/handles?prefix=88.100.77');
      expect([all.status, all.json['responseCode']]).toEqual([400, 4]);
      expect((await call(app, 'GET', '/api/handles?prefix=88.100.77&page=1&pageSize=1000')).json['handles']).toEqual(['88.100.77/999']);
    });

    it('answers what the authorize callback refuses: false as RC 401 (403), its own refusal as given', async () => {
      const denied = await call(app, 'PUT', '/api/handles/88.100.1/DENIED', [], { 'x-deny': 'yes' });
      expect([denied.status, denied.json]).toEqual([403, { responseCode: 401, handle: '88.100.1/DENIED', message: 'Not permitted to create 88.100.1/DENIED.' }]);
      const login = await call(app, 'DELETE', '/api/handles/88.100.1/ABC-001', undefined, { 'x-deny': 'login' });
      expect([login.status, login.json['responseCode'], login.json['message']]).toEqual([401, 402, 'Log in first.']);
      const list = await call(app, 'GET', '/api/handles?prefix=88.100.1', undefined, { 'x-deny': 'yes' });
      expect([list.status, list.json['responseCode']]).toEqual([403, 401]);
      expect(await records.get('88.100.1/DENIED')).toBeUndefined();
      expect(await records.get('88.100.1/ABC-001')).toBeDefined();
    });

    it('refuses bad values with RC 202 naming the field, and never stores them', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [[{ index: 0, type: 'URL', data: 'x' }], /^values\[0\]\.index: /],
        [[{ index: 1, type: '', data: 'x' }], /^values\[0\]\.type: is empty/],
        [[{ index: 1, type: 'URL', data: { format: 'yaml', value: 'x' } }], /^values\[0\]\.data\.format: /],
        [[{ index: 1, type: 'URL', data: { format: 'base64', value: '!!' } }], /^values\[0\]\.data\.value: is not base64/],
        [[{ index: 1, type: 'URL', data: { format: 'hex', value: 'zz' } }], /^values\[0\]\.data\.value: is not hex/],
        [[{ index: 100, type: 'HS_ADMIN', data: { format: 'admin', value: { handle: '0.NA/88', index: 'x' } } }], /^values\[0\]\.data\.value\.index: /],
        [[{ index: 1, type: 'URL', data: 'a' }, { index: 1, type: 'URL', data: 'b' }], /^values\[1\]\.index: index 1 is given twice/],
        [{ values: [{ index: 1, type: 'URL', data: 'x', ttl: -5 }] }, /^values\[0\]\.ttl: /],
      ];
      for (const [body, message] of cases) {
        const r = await call(app, 'PUT', '/api/handles/88.100.1/BAD', body);
        expect([r.status, r.json['responseCode'], r.json['handle']]).toEqual([400, 202, '88.100.1/BAD']);
        expect(r.json['message']).toMatch(message);
      }
      expect(await records.get('88.100.1/BAD')).toBeUndefined();
    });

    it('answers bad JSON, a body of another kind and an oversize body with RC 4, logged, and goes on serving', async () => {
      const before = logs.length;
      const broken = await call(app, 'PUT', '/api/handles/88.100.1/JSON', '{"values": [');
      expect([broken.status, broken.json['responseCode'], broken.json['handle']]).toEqual([400, 4, '88.100.1/JSON']);
      const text = await call(app, 'PUT', '/api/handles/88.100.1/JSON', 'plain words', { 'content-type': 'text/plain' });
      expect([text.status, text.json['responseCode']]).toEqual([400, 4]);
      const xml = await call(app, 'PUT', '/api/handles/88.100.1/JSON', '<values/>', { 'content-type': 'application/xml' });
      expect([xml.status, xml.json['responseCode']]).toEqual([415, 4]);
      const scalar = await call(app, 'PUT', '/api/handles/88.100.1/JSON', '42');
      expect([scalar.status, scalar.json['responseCode']]).toEqual([400, 4]);
      const huge = await call(app, 'PUT', '/api/handles/88.100.1/JSON', [{ index: 1, type: 'DESC', data: 'x'.repeat(1_100_000) }]);
      expect([huge.status, huge.json['responseCode']]).toEqual([413, 4]);
      const lines = logs.slice(before).map((l) => JSON.parse(l) as { rc?: number; status?: number; msg: string });
      expect(lines.filter((l) => l.msg === 'handles API request refused').map((l) => l.status)).toEqual([400, 400, 415, 400, 413]);
      expect((await call(app, 'GET', '/api/handles/88.100.1/ABC-001?index=1')).status).toBe(200);
    });

    it('serves a read-only node: resolutions yes, changes RC 7 (503), listings RC 5 (501)', async () => {
      const readOnly = await appWith({ backend: localBackend(records), authorize: async () => true });
      try {
        expect((await call(readOnly, 'GET', '/api/handles/88.100.1/ABC-001')).status).toBe(200);
        for (const [method, path, payload] of [['PUT', '/api/handles/88.100.1/RO', []], ['PUT', '/api/handles/88.100.1/?mintNewSuffix=true', []], ['DELETE', '/api/handles/88.100.1/ABC-001', undefined]] as const) {
          const r = await call(readOnly, method, path, payload);
          expect([method, r.status, r.json['responseCode']]).toEqual([method, 503, 7]);
        }
        const list = await call(readOnly, 'GET', '/api/handles?prefix=88.100.1');
        expect([list.status, list.json['responseCode']]).toEqual([501, 5]);
      } finally {
        await readOnly.close();
      }
    });

    it('takes no changes at all without an authorize callback', async () => {
      const closed = await appWith({ backend: localBackend(records), records });
      try {
        const r = await call(closed, 'DELETE', '/api/handles/88.100.1/ABC-001');
        expect([r.status, r.json['responseCode']]).toEqual([501, 5]);
        expect(await records.get('88.100.1/ABC-001')).toBeDefined();
      } finally {
        await closed.close();
      }
    });

    it('answers RC 2 (500) when the backend fails, and logs it', async () => {
      const failing: string[] = [];
      const broken = await appWith({ backend: { resolve: () => Promise.reject(new Error('disk on fire')) } }, failing);
      try {
        const r = await call(broken, 'GET', '/api/handles/88.100.1/ABC-001');
        expect([r.status, r.json]).toEqual([500, { responseCode: 2, handle: '88.100.1/ABC-001', message: 'Internal error' }]);
        expect(failing.some((l) => l.includes('disk on fire'))).toBe(true);
      } finally {
        await broken.close();
      }
    });
  });
}

describe('handlesApi configuration', () => {
  it('fails when built without a backend, saying what to pass', async () => {
    const app = Fastify();
    void app.register(handlesApi, {} as HandlesApiOptions);
    await expect(app.ready()).rejects.toThrow(/needs \{ backend \}/);
  });
});

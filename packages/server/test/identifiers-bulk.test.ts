import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, loadConfig } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface JobJson {
  id: string;
  state: string;
  rowsDone: number;
  inserted: number;
  failed: number;
  percent: number;
  tenantId: string | null;
}

describe('bulk identifier registration over HTTP', () => {
  let dataDir: string;
  let platform: Platform;
  const env = (dir: string) => ({ YULIAN_DATA_DIR: dir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-bulk-api-'));
    platform = await startPlatform(loadConfig({ env: env(dataDir) }), { quiet: true });
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const login = async (username: string): Promise<string> => {
    const r = await fetch(`${platform.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
    return ((await r.json()) as { token: string }).token;
  };
  const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${platform.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const upload = (token: string, query: string, body: string, type = 'text/csv') => call(`/api/v1/identifiers/bulk?${query}`, token, { method: 'POST', headers: { 'content-type': type }, body });
  const until = async (token: string, id: string, state: string): Promise<JobJson> => {
    for (let i = 0; i < 200; i++) {
      const job = (await (await call(`/api/v1/identifiers/bulk/${id}`, token)).json()) as JobJson;
      if (job.state === state) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} never became ${state}`);
  };

  it('lists the templates', async () => {
    const r = await call('/api/v1/identifiers/templates', await login('demo-operator'));
    expect(r.status).toBe(200);
    const { items } = (await r.json()) as { items: Array<{ id: string; fields: Array<{ key: string; type: string; required: boolean }> }> };
    expect(items.map((t) => t.id)).toEqual(['product', 'device']);
    expect(items[0]!.fields.filter((f) => f.required).map((f) => f.type)).toEqual(['product.name', 'product.manufacturer']);
  });

  it('registers a CSV under the enterprise’s prefix as a job, reports bad rows, and the identifiers resolve', async () => {
    const engineer = await login('demo-engineer');
    const csv = ['suffix,name,model,productionDate,manufacturer,url', 'BULK-1,精密减速机 RV-40E,RV-40E,2025-06-18,重庆渝联演示机械有限公司,https://example.com/bulk-1', 'BULK-2,"Reducer, small",RV-20E,2025-06-31,Yulian,', 'BULK-3,,,,Yulian,', 'BULK-4,Gear,,,Yulian,'].join('\n');
    const r = await upload(engineer, 'prefix=88.100.1&template=product', csv);
    expect(r.status).toBe(202);
    const queued = (await r.json()) as JobJson;
    const done = await until(engineer, queued.id, 'done');
    expect(done).toMatchObject({ rowsDone: 4, inserted: 2, failed: 2, percent: 100 });
    expect(done.tenantId).not.toBeNull();

    const report = await call(`/api/v1/identifiers/bulk/${queued.id}/errors.csv`, engineer);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await report.text()).split('\n')).toEqual([
      'row,column,code,message',
      '3,productionDate,INVALID_DATE,"productionDate ""2025-06-31"" is not a date YYYY-MM-DD."',
      '4,name,REQUIRED,name is required.',
      '',
    ]);
    // Registered on the demo enterprise's own node, resolved through the public entry over HTTP.
    const resolved = await fetch(`${platform.httpUrl}/api/handles/88.100.1/BULK-1`);
    expect(resolved.status).toBe(200);
    const values = ((await resolved.json()) as { values: Array<{ index: number; type: string; data: { value: string } }> }).values;
    expect(values.filter((v) => v.index < 100).map((v) => [v.index, v.type, v.data.value])).toEqual([
      [1, 'URL', 'https://example.com/bulk-1'],
      [2, 'product.name', '精密减速机 RV-40E'],
      [3, 'product.model', 'RV-40E'],
      [5, 'product.productionDate', '2025-06-18'],
      [6, 'product.manufacturer', '重庆渝联演示机械有限公司'],
    ]);
    expect(values.find((v) => v.index === 1001)).toMatchObject({ type: 'YL.template', data: { value: 'product@1' } });
    await expect(platform.identifier.nodes.find((n) => n.prefix === '88.100.1')!.records!.get('88.100.1/BULK-4')).resolves.toBeDefined();

    // JSONL works the same way; the job list shows both to the enterprise, nothing to another one.
    const jsonl = await upload(engineer, 'prefix=88.100.1&template=device', `${JSON.stringify({ suffix: 'dev.BULK-9', serial: 'SN-9', location: '一号车间' })}\n`, 'application/x-ndjson');
    expect(jsonl.status).toBe(202);
    await until(engineer, ((await jsonl.json()) as JobJson).id, 'done');
    expect(((await (await call('/api/v1/identifiers/bulk', engineer)).json()) as { items: JobJson[] }).items).toHaveLength(2);
    const other = await login('demo2-admin');
    expect(((await (await call('/api/v1/identifiers/bulk', other)).json()) as { items: JobJson[] }).items).toEqual([]);
    expect((await call(`/api/v1/identifiers/bulk/${queued.id}`, other)).status).toBe(404);
    expect((await call(`/api/v1/identifiers/bulk/${queued.id}/errors.csv`, await login('demo-registrar'))).status).toBe(200);
  });

  it('refuses another enterprise’s prefix, a role that may not register, a bad header and an unknown template', async () => {
    const engineer = await login('demo-engineer');
    const codeOf = async (r: Response) => [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    expect(await codeOf(await upload(engineer, 'prefix=88.100.2&template=product', 'suffix,name,manufacturer\nX,y,z'))).toEqual([403, 'FORBIDDEN']);
    expect(await codeOf(await upload(await login('demo-operator'), 'prefix=88.100.1&template=product', 'suffix\nX'))).toEqual([403, 'FORBIDDEN']);
    expect(await codeOf(await upload(engineer, 'prefix=88.100.1&template=product', 'name,manufacturer\ny,z'))).toEqual([400, 'ID_BULK_FILE_INVALID']);
    expect(await codeOf(await upload(engineer, 'prefix=88.100.1&template=car', 'suffix\nX'))).toEqual([400, 'ID_TEMPLATE_UNKNOWN']);
    expect(await codeOf(await upload(engineer, 'prefix=88..1&template=product', 'suffix\nX'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await codeOf(await call('/api/v1/identifiers/bulk/none', engineer))).toEqual([404, 'ID_BULK_JOB_NOT_FOUND']);
  });

  it('resumes a job left running when a platform starts', async () => {
    // As a crash would leave it: a job `running` in the store of the node holding its prefix (here the
    // platform's own node, 88.100, without the demo), its first row committed.
    const dir = await mkdtemp(join(tmpdir(), 'yulian-bulk-resume-'));
    const file = join(dir, 'left.csv');
    const [header, first, second] = ['suffix,name,manufacturer\n', 'LEFT-1,a,M\n', 'LEFT-2,b,M\n'];
    await writeFile(file, header + first + second);
    const store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    const at = Date.now();
    await store.db
      .insertInto('id_bulk_jobs')
      .values({ id: 'left-running', tenant_id: null, prefix: '88.100.7', template: 'product', format: 'csv', file, columns: JSON.stringify(['suffix', 'name', 'manufacturer']), state: 'running', total_bytes: Buffer.byteLength(header + first + second), next_offset: Buffer.byteLength(header + first), next_line: 3, rows_done: 1, inserted: 1, created_by: null, created_at: at, started_at: at, updated_at: at })
      .execute();
    await store.close();
    const { YULIAN_DEMO: _demo, ...plain } = env(dir);
    const restarted = await startPlatform(loadConfig({ env: plain }), { quiet: true });
    try {
      const admin = (await (await fetch(`${restarted.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-Passw0rd' }) })).json()) as { token: string };
      let job: JobJson | undefined;
      for (let i = 0; i < 200 && job?.state !== 'done'; i++) {
        if (i) await new Promise((r) => setTimeout(r, 50));
        job = (await (await fetch(`${restarted.httpUrl}/api/v1/identifiers/bulk/left-running`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as JobJson;
      }
      expect(job).toMatchObject({ state: 'done', rowsDone: 2, inserted: 2, failed: 0 });
      // Resumed at the committed offset: the first row (counted, not actually written here) is not read again.
      const records = restarted.identifier.secondary.records!;
      expect(await records.get('88.100.7/LEFT-1')).toBeUndefined();
      expect(await records.get('88.100.7/LEFT-2')).toBeDefined();
    } finally {
      await restarted.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Store, YulianError, silentLogger, storeBackends } from '@yulian/core';
import { type BulkJob, type BulkRegistration, type BulkRowError, type RecordStore, StaleCommitError, createBulkRegistration, createRecordStore, runBulkJob } from '@yulian/identifier';
import { decodeValues, encodeValues, handleValue } from '@yulian/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const logger = silentLogger();
const prefix = '88.100.1';

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`bulk registration jobs on ${backend.name}`, () => {
    let store: Store;
    let dataDir: string;
    let cleanup: () => Promise<void>;
    let records: RecordStore;
    let quota: { prefix: string; limit: number } | undefined;
    let files = 0;

    beforeEach(async () => {
      ({ store, dataDir, cleanup } = await backend.open());
      records = createRecordStore(store);
      quota = undefined;
    });
    afterEach(async () => cleanup());

    const service = (batchSize = 3): BulkRegistration => createBulkRegistration({ recordsFor: () => records, stores: () => [store], logger, batchSize, quota: async () => quota });
    const fileOf = async (text: string, ext = 'csv'): Promise<string> => {
      const file = join(dataDir, `upload-${files++}.${ext}`);
      await writeFile(file, text);
      return file;
    };
    const runToEnd = async (bulk: BulkRegistration, input: { text: string; template?: string; format?: 'csv' | 'jsonl' }): Promise<BulkJob> => {
      const format = input.format ?? 'csv';
      const job = await bulk.create({ prefix, template: input.template ?? 'product', format, file: await fileOf(input.text, format), tenantId: 't1', createdBy: 'tester' });
      bulk.start();
      await bulk.idle();
      return (await bulk.get(job.id))!;
    };
    const errorsOf = async (bulk: BulkRegistration, id: string): Promise<string[]> => {
      const out: BulkRowError[] = [];
      for await (const e of bulk.errors(id)) out.push(e);
      return out.map((e) => `${e.row}:${e.column ?? '-'}:${e.code}`);
    };
    const valuesOf = async (handle: string) => decodeValues((await records.get(handle))!).map((v) => [v.index, v.type, v.type === 'HS_ADMIN' ? '' : v.data.toString()]);

    it('registers the good rows of a CSV, reports each bad one with line, column and code, and finishes', async () => {
      await records.create(`${prefix}/TAKEN`, [handleValue(1, 'URL', 'https://example.com/taken')]);
      const bulk = service();
      const csv = [
        'suffix,name,model,productionDate,manufacturer,url',
        'P-1,主轴轴承,6205,2024-03-01,渝联,https://example.com/p1',
        'P-2,"Bearing, sealed",6206,,"Yulian ""Demo""",',
        ',No suffix,,,M,',
        'P-4,,,2024-02-30,M,',
        'TAKEN,Again,,,M,',
        'P-1,Twice,,,M,',
        'P-7,short,row',
        ' P-8,Lead space,,,M,',
        'P-9,轴承 9,,,M,',
        '',
      ].join('\n');
      const job = await runToEnd(bulk, { text: csv });
      expect(job).toMatchObject({ state: 'done', reason: '', rowsDone: 9, inserted: 3, failed: 6, bytesDone: Buffer.byteLength(csv), totalBytes: Buffer.byteLength(csv), errorCount: 7, errorsStored: 7, tenantId: 't1', createdBy: 'tester' });
      expect(job.rowsPerSecond).toBeGreaterThan(0);
      expect(await errorsOf(bulk, job.id)).toEqual(['4:suffix:ID_SUFFIX_EMPTY', '5:name:REQUIRED', '5:productionDate:INVALID_DATE', '6:-:ID_EXISTS', '7:-:ID_EXISTS', '8:-:COLUMN_COUNT', '9:suffix:ID_SUFFIX_CHARACTER']);
      expect(await valuesOf(`${prefix}/P-1`)).toEqual([
        [1, 'URL', 'https://example.com/p1'],
        [2, 'product.name', '主轴轴承'],
        [3, 'product.model', '6205'],
        [5, 'product.productionDate', '2024-03-01'],
        [6, 'product.manufacturer', '渝联'],
        [100, 'HS_ADMIN', ''],
        [1001, 'YL.template', 'product@1'],
      ]);
      expect((await valuesOf(`${prefix}/P-2`)).slice(0, 3)).toEqual([[2, 'product.name', 'Bearing, sealed'], [3, 'product.model', '6206'], [6, 'product.manufacturer', 'Yulian "Demo"']]);
      expect(await records.count(prefix)).toBe(4);
      // Done: the uploaded file is removed; the report stays.
      expect(existsSync(job.file)).toBe(false);
    });

    it('reads JSONL with whole identifiers and refuses those under another prefix', async () => {
      const lines = [
        { identifier: `${prefix}/D-1`, serial: 'SN-1', type: 'CNC', commissioningDate: '2025-05-01', location: '一号车间' },
        { identifier: '88.100.2/D-2', serial: 'SN-2' },
        { identifier: `${prefix.toLowerCase()}/D-3`, serial: 42 },
        { identifier: `${prefix}/D-4`, serial: 'SN-4', colour: 'red' },
      ];
      const bulk = service(2);
      const job = await runToEnd(bulk, { template: 'device', format: 'jsonl', text: `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n` });
      expect(job).toMatchObject({ state: 'done', rowsDone: 5, inserted: 2, failed: 3 });
      expect(await errorsOf(bulk, job.id)).toEqual(['2:identifier:ID_PREFIX_MISMATCH', '4:colour:UNKNOWN_FIELD', '5:-:JSON_INVALID']);
      expect(await valuesOf(`${prefix}/D-3`)).toEqual([[5, 'device.serial', '42'], [100, 'HS_ADMIN', ''], [1001, 'YL.template', 'device@1']]);
    });

    it('stops registering at the prefix’s quota, counting what it held already', async () => {
      await records.create(`${prefix}/OLD`, [handleValue(1, 'URL', 'https://example.com/old')]);
      quota = { prefix, limit: 4 };
      const bulk = service(2);
      const rows = ['suffix,name,manufacturer', 'OLD,x,M', ...Array.from({ length: 6 }, (_, i) => `Q-${i},Item ${i},M`)];
      const job = await runToEnd(bulk, { text: rows.join('\n') });
      expect(job).toMatchObject({ state: 'done', rowsDone: 7, inserted: 3, failed: 4 });
      expect(await errorsOf(bulk, job.id)).toEqual(['2:-:ID_EXISTS', '6:-:ID_QUOTA_EXCEEDED', '7:-:ID_QUOTA_EXCEEDED', '8:-:ID_QUOTA_EXCEEDED']);
      expect(await records.count(prefix)).toBe(4);
    });

    it('resumes a stopped job exactly after its last committed batch', async () => {
      const rows = ['suffix,name,manufacturer', ...Array.from({ length: 20 }, (_, i) => (i % 7 === 3 ? `R-${i},,M` : `R-${i},Item ${i},M`))];
      const bulk = service();
      const job = await bulk.create({ prefix, template: 'product', format: 'csv', file: await fileOf(rows.join('\r\n')), tenantId: null, createdBy: null });
      let batches = 0;
      const first = await runBulkJob({ id: job.id, records, logger, batchSize: 4, shouldStop: () => ++batches === 2 });
      expect(first).toBe('stopped');
      const half = (await bulk.get(job.id))!;
      expect(half).toMatchObject({ state: 'running', rowsDone: 8 });
      expect(await records.count(prefix)).toBe(half.inserted);
      expect(await runBulkJob({ id: job.id, records, logger, batchSize: 4 })).toBe('done');
      const done = (await bulk.get(job.id))!;
      expect(done).toMatchObject({ state: 'done', rowsDone: 20, inserted: 17, failed: 3 });
      expect(await records.count(prefix)).toBe(17);
      expect(await errorsOf(bulk, job.id)).toEqual(['5:name:REQUIRED', '12:name:REQUIRED', '19:name:REQUIRED']);
    });

    it('keeps at most the configured number of row errors and counts the rest', async () => {
      const bulk = createBulkRegistration({ recordsFor: () => records, stores: () => [store], logger, batchSize: 3, maxStoredErrors: 4 });
      const job = await runToEnd(bulk, { text: ['suffix,name,manufacturer', ...Array.from({ length: 10 }, (_, i) => `E-${i},,`)].join('\n') });
      expect(job).toMatchObject({ state: 'done', failed: 10, errorCount: 20, errorsStored: 4 });
      expect(await errorsOf(bulk, job.id)).toEqual(['2:name:REQUIRED', '2:manufacturer:REQUIRED', '3:name:REQUIRED', '3:manufacturer:REQUIRED']);
    });

    it('refuses a file without a usable header, and fails a job whose file is broken further down', async () => {
      const bulk = service();
      const create = (text: string, format: 'csv' | 'jsonl' = 'csv', template = 'product') => fileOf(text).then((file) => bulk.create({ prefix, template, format, file, tenantId: null, createdBy: null }));
      const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof YulianError ? `${e.code}: ${e.message}` : String(e)));
      expect(await codeOf(create('name,manufacturer\nx,y'))).toMatch(/^ID_BULK_FILE_INVALID: The header has no suffix or identifier column/);
      expect(await codeOf(create('suffix,colour\nx,y'))).toMatch(/^ID_BULK_FILE_INVALID: Unknown column "colour"/);
      expect(await codeOf(create(''))).toMatch(/^ID_BULK_FILE_INVALID: The file is empty/);
      expect(await codeOf(create('[1]', 'jsonl'))).toMatch(/^ID_BULK_FILE_INVALID: Line 1: The line is not a JSON object/);
      expect(await codeOf(create('suffix\nx', 'csv', 'car'))).toMatch(/^ID_TEMPLATE_UNKNOWN/);
      const job = await runToEnd(bulk, { text: 'suffix,name,manufacturer\nB-1,x,M\nB-2,"never closed,M\nB-3,y,M\n' });
      expect(job).toMatchObject({ state: 'failed', reason: 'Line 3: a quoted field is not closed before the end of the file.' });
    });

    it('rolls the inserts back when a required statement of the same transaction changes nothing', async () => {
      const row = (h: string) => [h, encodeValues([handleValue(1, 'URL', 'https://example.com')])] as const;
      const stale = store.db.updateTable('id_bulk_jobs').set({ rows_done: 1 }).where('id', '=', 'no-such-job').compile();
      await expect(records.insertMany([row(`${prefix}/S-1`)], { commitWith: () => [{ query: stale, required: true }] })).rejects.toBeInstanceOf(StaleCommitError);
      expect(await records.get(`${prefix}/S-1`)).toBeUndefined();
      const outcome = await records.insertMany([row(`${prefix}/S-1`), row(`${prefix}/S-1`)], { commitWith: (o) => [{ query: store.db.insertInto('id_bulk_job_errors').values({ job_id: 'j', seq: 0, line: 2, field: null, code: 'X', message: String(o.existing.length) }).compile() }] });
      expect(outcome).toEqual({ inserted: 1, existing: [`${prefix}/S-1`] });
      expect(await store.db.selectFrom('id_bulk_job_errors').select('message').executeTakeFirst()).toEqual({ message: '1' });
    });
  });
}

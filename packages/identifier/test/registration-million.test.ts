// The acceptance test of bulk registration (issue 5): 1,000,000 identifiers from one CSV, the job's
// process killed hard mid-way and started again; afterwards every suffix is registered exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Store, createStore, silentLogger } from '@yulian/core';
import { type BulkJob, createBulkRegistration, createRecordStore } from '@yulian/identifier';
import { decodeValues } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const total = 1_000_000;
const prefix = '88.100.1';
const suffixOf = (n: number): string => `P${String(n).padStart(7, '0')}`;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./support/bulk-job-child.ts', import.meta.url));

/** Writes the CSV a stream at a time (about 70 MB): suffix, product fields, no URL. */
async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
  await write('suffix,name,model,batch,productionDate,manufacturer\n');
  const models = ['6205-2RS', '6306-ZZ', 'RV-40E', 'RV-20E'];
  for (let start = 0; start < total; start += 10_000) {
    let chunk = '';
    for (let n = start; n < start + 10_000; n++) chunk += `${suffixOf(n)},精密轴承 ${models[n % 4]},${models[n % 4]},B${n % 97},2025-0${1 + (n % 9)}-1${n % 10},渝联轴承\n`;
    await write(chunk);
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** Runs the job runner in a child process (TypeScript through vite-node, no build needed). */
const startChild = (dataDir: string): ChildProcess =>
  spawn(process.execPath, [join(root, 'node_modules/vite-node/vite-node.mjs'), '--root', root, '--config', join(root, 'vitest.config.ts'), child, dataDir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const exited = (p: ChildProcess): Promise<number | null> => new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code))));

describe('bulk registration of 1,000,000 identifiers (SQLite)', () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-bulk-1m-'));
    store = await createStore({ url: 'sqlite', dataDir });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('completes, and survives a kill and resume without duplicates or gaps', async () => {
    const t0 = performance.now();
    const file = join(dataDir, 'million.csv');
    await writeCsv(file);
    const records = createRecordStore(store);
    // This process only queues the job and watches; the runner is the child.
    const bulk = createBulkRegistration({ recordsFor: () => records, stores: () => [store], logger: silentLogger() });
    const queued = await bulk.create({ prefix, template: 'product', format: 'csv', file, tenantId: null, createdBy: 'test' });
    const progress = async (): Promise<BulkJob> => (await bulk.get(queued.id))!;

    // First run: killed (SIGKILL, no chance to tidy up) once a few batches have committed.
    const t1 = performance.now();
    const first = startChild(dataDir);
    while ((await progress()).rowsDone < 300_000) {
      expect(first.exitCode, 'the first run ended before it was killed').toBeNull();
      await new Promise((r) => setTimeout(r, 25));
    }
    first.kill('SIGKILL');
    await exited(first);
    const killed = await progress();
    expect(killed.state).toBe('running');
    expect(killed.rowsDone).toBeLessThan(total);
    // What committed is exactly what the job counted: records and progress went in one transaction.
    expect(await records.count(prefix)).toBe(killed.inserted);
    expect(killed.inserted).toBe(killed.rowsDone);

    // Second run: resumes from the last committed batch and finishes.
    const second = startChild(dataDir);
    expect(await exited(second)).toBe(0);
    const wall = (performance.now() - t1) / 1000;
    const done = await progress();
    expect(done).toMatchObject({ state: 'done', rowsDone: total, inserted: total, failed: 0, errorCount: 0, bytesDone: done.totalBytes });

    // Every suffix exactly once: the key range in order is P0000000 … P0999999, nothing more.
    expect(await records.count(prefix)).toBe(total);
    if (store.native.kind !== 'sqlite') throw new Error('SQLite only');
    let n = 0;
    for (const handle of store.native.db.prepare<[], string>("SELECT handle FROM id_handles WHERE handle >= '88.100.1/' AND handle < '88.100.10' ORDER BY handle").pluck().iterate()) {
      if (handle !== `${prefix}/${suffixOf(n)}`) throw new Error(`expected ${prefix}/${suffixOf(n)}, found ${handle}`);
      n++;
    }
    expect(n).toBe(total);
    for (const k of [0, killed.rowsDone - 1, killed.rowsDone, 777_777, total - 1]) {
      const values = decodeValues((await records.get(`${prefix}/${suffixOf(k)}`))!);
      expect(values.find((v) => v.type === 'product.batch')?.data.toString()).toBe(`B${k % 97}`);
    }
    console.info(`1,000,000 identifiers: killed after ${killed.rowsDone} rows, job wall time ${wall.toFixed(1)} s over two processes, ${done.rowsPerSecond} rows/s of processing, whole test ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 180_000);
});

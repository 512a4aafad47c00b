// Runs the bulk registration jobs of a SQLite store to their end, as the platform's runner does at start
// (a job left `running` is resumed). Started as a separate process by registration-million.test.ts, which
// kills it mid-way: `node vite-node.mjs --config vitest.config.ts bulk-job-child.ts <dataDir> [batchSize]`.
import { createStore, silentLogger } from '@yulian/core';
import { createBulkRegistration, createRecordStore } from '@yulian/identifier';

const [dataDir, batchSize] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: bulk-job-child.ts <dataDir> [batchSize]');
const store = await createStore({ url: 'sqlite', dataDir });
await store.migrate();
const records = createRecordStore(store);
const bulk = createBulkRegistration({ recordsFor: () => records, stores: () => [store], logger: silentLogger(), batchSize: batchSize ? Number(batchSize) : undefined });
bulk.start();
await bulk.idle();
await store.close();

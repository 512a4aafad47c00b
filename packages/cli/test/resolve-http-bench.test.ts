/**
 * The HTTP half of `yulian bench resolve`, run short over a few thousand identifiers: the node's
 * /api/handles and the bare Fastify route both answer the forked load generator, and its checks catch a
 * node that answers wrongly. Runs the built bench (dist/, as `npm test` builds first): the load generator
 * is forked from there.
 */
import { type RecordStore, createRecordStore } from '@yulian/identifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore } from '../dist/bench/fresh-store.js';
import { benchHandle, benchPrefix } from '../dist/bench/register-records.js';
import { benchResolveHttp, registerAll } from '../dist/bench/resolve.js';

const rows = 3_000;
/** One round per side (bare, node), about half a second each. */
const load = { connections: 16, warmupMs: 100, durationMs: 500, requests: 5_000, checkEvery: 10, timeoutMs: 2_000 };

describe('bench resolve, HTTP half', () => {
  let records: RecordStore;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const fresh = await freshStore('sqlite', 'resolve-http-test');
    cleanup = fresh.cleanup;
    records = createRecordStore(fresh.store);
    await registerAll(records, rows);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('loads the node and the bare route, and the answers of the node check out', async () => {
    const r = await benchResolveHttp({ records, rows, rounds: 1, load });
    expect(r.name).toBe('resolve (HTTP)');
    expect(r.measured.rate).toBeGreaterThan(0);
    expect(r.baseline.rate).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.measured.rate / r.baseline.rate);
    expect(r.target).toBeUndefined();
    // Bodies were parsed (a run that checked none throws), and no request failed on either side.
    expect(Number(/(\d+) answers parsed and checked/.exec(r.description)?.[1])).toBeGreaterThan(10);
    expect(r.measured.label).toContain(' 0 errors');
    expect(r.baseline.label).toContain(' 0 errors');
  });

  it('fails when the node answers every product with the record of another', async () => {
    // The identifiers asked for are answered 200 with their own name, but another product's values.
    const wrong = (h: string): string => (h.startsWith(`${benchPrefix}/P`) && h !== benchHandle(7) ? benchHandle(7) : h);
    const lying: RecordStore = { ...records, getSync: (h) => records.getSync!(wrong(h)), get: (h) => records.get(wrong(h)) };
    await expect(benchResolveHttp({ records: lying, rows, rounds: 1, load })).rejects.toThrow(/wrong answers from the node server: .*no URL of its own/);
  });

  it('fails when the node does not find identifiers that are stored', async () => {
    // Products 7, 17, 27, … answer 404 (not 1–3: the bare route's body is taken from those).
    const lossy: RecordStore = { ...records, getSync: (h) => (h.endsWith('7') ? undefined : records.getSync!(h)) };
    await expect(benchResolveHttp({ records: lossy, rows, rounds: 1, load })).rejects.toThrow(/wrong answers from the node server: .*status 404, expected 200/);
  });
});

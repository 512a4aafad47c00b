import { type RecordStore, type ResolutionBackend, type StatRow, type StatsStore, countingBackend, countingRecords, createNodeStats, createStatCounter, invalidPrefix, otherPrefix } from '@yulian/identifier';
import { ResponseCode } from '@yulian/protocols';
import { describe, expect, it } from 'vitest';

const at = (iso: string): number => Date.parse(iso);

describe('identifier statistics counters', () => {
  it('counts resolutions per prefix by outcome, and registrations, on the UTC day', () => {
    const c = createStatCounter({ now: () => at('2026-12-01T08:00:00Z') });
    c.resolution('88.100.1/A', ResponseCode.SUCCESS);
    c.resolution('88.100.1/B/with/slashes', ResponseCode.SUCCESS);
    c.resolution('88.100.1/C', ResponseCode.HANDLE_NOT_FOUND);
    c.resolution('88.100.1/D', ResponseCode.VALUES_NOT_FOUND);
    c.resolution('88.100.2/A', ResponseCode.SUCCESS);
    c.resolution('88.100.1/E', ResponseCode.ERROR);
    c.registration('88.100.2/X', 3);
    c.invalid();
    const rows = c.take().sort((a, b) => a.prefix.localeCompare(b.prefix));
    expect(rows).toEqual([
      { prefix: invalidPrefix, day: '2026-12-01', registrations: 0, resolutions: 1, resolved: 0, notFound: 0, invalid: 1 },
      { prefix: '88.100.1', day: '2026-12-01', registrations: 0, resolutions: 5, resolved: 2, notFound: 2, invalid: 0 },
      { prefix: '88.100.2', day: '2026-12-01', registrations: 3, resolutions: 1, resolved: 1, notFound: 0, invalid: 0 },
    ]);
    expect(c.take()).toEqual([]);
  });

  it('does not take a prefix that only starts like the last one for it', () => {
    const c = createStatCounter({ now: () => at('2026-12-01T08:00:00Z') });
    c.resolution('88.1/A', 1);
    c.resolution('88.10/A', 1);
    c.resolution('88.1/B', 1);
    expect(c.take().map((r) => [r.prefix, r.resolutions])).toEqual([['88.1', 2], ['88.10', 1]]);
  });

  it('starts a new day at UTC midnight, keeping the day before until it is taken', () => {
    let now = at('2026-12-01T23:59:59.999Z');
    const c = createStatCounter({ now: () => now });
    c.resolution('88.100.1/A', 1);
    now = at('2026-12-02T00:00:00Z');
    c.resolution('88.100.1/A', 1);
    c.resolution('88.100.1/A', 1);
    // Midnight in Beijing (16:00 UTC) is not a new day: days are UTC.
    now = at('2026-12-02T16:30:00Z');
    c.registration('88.100.1/B');
    expect(c.take()).toEqual([
      { prefix: '88.100.1', day: '2026-12-01', registrations: 0, resolutions: 1, resolved: 1, notFound: 0, invalid: 0 },
      { prefix: '88.100.1', day: '2026-12-02', registrations: 1, resolutions: 2, resolved: 2, notFound: 0, invalid: 0 },
    ]);
  });

  it('counts prefixes beyond the bound of one window under (other), and starts again after a take', () => {
    const c = createStatCounter({ maxPrefixes: 3, now: () => at('2026-12-01T08:00:00Z') });
    for (let i = 1; i <= 5; i++) c.resolution(`88.100.${i}/A`, 1);
    c.resolution('88.100.1/B', 1);
    c.resolution('88.100.5/B', 1);
    c.invalid();
    const rows = c.take();
    expect(Object.fromEntries(rows.map((r) => [r.prefix, r.resolutions]))).toEqual({ '88.100.1': 2, '88.100.2': 1, '88.100.3': 1, [otherPrefix]: 3, [invalidPrefix]: 1 });
    c.resolution('88.100.5/A', 1);
    expect(c.take().map((r) => r.prefix)).toEqual(['88.100.5']);
  });

  it('adds restored rows back to what was counted meanwhile', () => {
    const c = createStatCounter({ now: () => at('2026-12-01T08:00:00Z') });
    c.resolution('88.100.1/A', 1);
    const taken = c.take();
    c.resolution('88.100.1/A', 100);
    c.restore(taken);
    expect(c.take()).toEqual([{ prefix: '88.100.1', day: '2026-12-01', registrations: 0, resolutions: 2, resolved: 1, notFound: 1, invalid: 0 }]);
  });

  it('counts a record as registered when it is new, not when it is replaced or existed', async () => {
    const c = createStatCounter({ now: () => at('2026-12-01T08:00:00Z') });
    const existing = new Set(['88.100.1/OLD']);
    const fake = {
      create: async () => undefined,
      put: async (h: string) => existing.has(h),
      insertMany: async () => ({ inserted: 2, existing: ['88.100.1/OLD', '88.100.1/N1'] }),
    } as unknown as RecordStore;
    const records = countingRecords(fake, c);
    await records.create('88.100.1/C', Buffer.alloc(4));
    await records.put('88.100.1/OLD', Buffer.alloc(4));
    await records.put('88.100.1/P', Buffer.alloc(4));
    const v = Buffer.alloc(4);
    await records.insertMany([['88.100.1/N1', v], ['88.100.1/OLD', v], ['88.100.2/N2', v], ['88.100.1/N1', v]]);
    expect(Object.fromEntries(c.take().map((r) => [r.prefix, r.registrations]))).toEqual({ '88.100.1': 3, '88.100.2': 1 });
  });

  it('counts a resolver’s answers from its cache and its failures, not those another node answered', async () => {
    const c = createStatCounter({ now: () => at('2026-12-01T08:00:00Z') });
    const answers = [
      { rc: ResponseCode.SUCCESS, handle: '88.100.1/A', source: 'remote' as const },
      { rc: ResponseCode.SUCCESS, handle: '88.100.1/A', source: 'cache' as const },
      { rc: ResponseCode.HANDLE_NOT_FOUND, handle: '88.100.1/B', source: 'cache' as const },
      { rc: ResponseCode.ERROR, handle: '88.100.1/C', source: 'remote' as const },
      { rc: ResponseCode.INVALID_HANDLE, handle: 'no slash' },
    ];
    const backend: ResolutionBackend = { resolve: async () => answers.shift()! };
    const counted = countingBackend(backend, c);
    for (let i = 0; i < 5; i++) await counted.resolve('x');
    expect(c.take().sort((a, b) => a.prefix.localeCompare(b.prefix))).toEqual([
      { prefix: invalidPrefix, day: '2026-12-01', registrations: 0, resolutions: 1, resolved: 0, notFound: 0, invalid: 1 },
      { prefix: '88.100.1', day: '2026-12-01', registrations: 0, resolutions: 3, resolved: 1, notFound: 1, invalid: 0 },
    ]);
  });

  it('keeps the counts of a flush that failed for the next one, and writes an idle node once an hour', async () => {
    let now = at('2026-12-01T08:00:00Z');
    const written: StatRow[][] = [];
    let fail = true;
    const store = {
      add: async (_node: unknown, rows: readonly StatRow[]) => {
        if (fail) throw new Error('store down');
        written.push([...rows]);
      },
    } as unknown as StatsStore;
    const stats = createNodeStats({ node: '88.100', role: 'secondary', store, flushMs: 0, now: () => now });
    stats.resolution('88.100.1/A', 1);
    await expect(stats.flush()).rejects.toThrow('store down');
    fail = false;
    stats.resolution('88.100.1/A', 1);
    await stats.flush();
    expect(written).toEqual([[{ prefix: '88.100.1', day: '2026-12-01', registrations: 0, resolutions: 2, resolved: 2, notFound: 0, invalid: 0 }]]);
    await stats.flush();
    now += 3_600_000;
    await stats.flush();
    await stats.close();
    await stats.close();
    expect(written).toEqual([[expect.objectContaining({ resolutions: 2 })], []]);
  });
});

import { describe, expect, it } from 'vitest';
import { type SampleColumns, allocateColumns, mergeSorted, setReason, setText } from './columns.js';

type Row = { id: number; ts: number; value: number; text?: string; reason?: string; tag: number };

function columnsOf(rows: readonly Row[]): SampleColumns {
  const c = allocateColumns(rows.length + 3);
  rows.forEach((r, i) => {
    c.seriesId[i] = r.id;
    c.ts[i] = r.ts;
    c.value[i] = r.value;
    c.receivedTs[i] = r.tag;
    if (r.text) setText(c, i, r.text);
    if (r.reason) setReason(c, i, r.reason);
  });
  c.n = rows.length;
  return c;
}

function rowsOf(c: SampleColumns): Row[] {
  return Array.from({ length: c.n }, (_, k) => ({
    id: c.seriesId[k]!, ts: c.ts[k]!, value: c.value[k]!, tag: c.receivedTs[k]!,
    ...(c.text?.[k] ? { text: c.text[k]! } : {}), ...(c.reason?.[k] ? { reason: c.reason[k]! } : {}),
  }));
}

/** What the merge must equal: every row of every part, sorted by (series, ts), arrival order kept for equal keys. */
const expected = (parts: Row[][]): Row[] => parts.flat().sort((a, b) => a.id - b.id || a.ts - b.ts);

function random(seed: number, parts: number, rows: number, ids: number): Row[][] {
  let s = seed;
  const r = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  let tag = 0;
  return Array.from({ length: parts }, () =>
    Array.from({ length: rows }, () => ({
      id: 1 + Math.floor(r() * ids), ts: 1_700_000_000_000 + Math.floor(r() * 100) * 1000, value: r() < 0.1 ? NaN : r(), tag: tag++,
      ...(r() < 0.05 ? { text: `t${tag}` } : {}), ...(r() < 0.05 ? { reason: 'MODBUS_TIMEOUT' } : {}),
    })),
  );
}

describe('sample columns: merge and sort by (series, ts)', () => {
  it('sorts by series then time with the counting sort (dense ids), keeping arrival order for equal keys', () => {
    for (const seed of [1, 2, 3]) {
      const parts = random(seed, 5, 400, 50);
      expect(rowsOf(mergeSorted(parts.map(columnsOf), 50))).toEqual(expected(parts));
    }
  });

  it('sorts long unsorted runs of one series and sparse ids (the comparison-sort path) the same way', () => {
    const oneSeries = random(7, 3, 300, 1);
    expect(rowsOf(mergeSorted(oneSeries.map(columnsOf), 1))).toEqual(expected(oneSeries));
    const sparse = random(9, 2, 100, 5).map((p) => p.map((r) => ({ ...r, id: r.id * 1_000_000 })));
    expect(rowsOf(mergeSorted(sparse.map(columnsOf), 5_000_000))).toEqual(expected(sparse));
  });

  it('carries text and reason columns only when a part has them', () => {
    const plain = mergeSorted([columnsOf([{ id: 2, ts: 1, value: 1, tag: 0 }, { id: 1, ts: 1, value: 2, tag: 1 }])], 2);
    expect(plain.text).toBeNull();
    expect(plain.reason).toBeNull();
    const mixed = mergeSorted([columnsOf([{ id: 2, ts: 1, value: 1, tag: 0 }]), columnsOf([{ id: 1, ts: 5, value: NaN, text: 'on', tag: 1 }])], 2);
    expect(mixed.text).toEqual(['on', null]);
    expect(rowsOf(mixed).map((r) => r.id)).toEqual([1, 2]);
  });
});

/**
 * Samples in columns (typed arrays): what the telemetry store keeps between `write()` and the commit.
 * Sample objects held until the commit lived long enough to be promoted to the old generation, and
 * garbage collection was a fifth of the ingest CPU (docs/benchmarks.md); typed arrays are not scanned.
 */
export interface SampleColumns {
  /** Rows in use (the arrays may be longer). */
  n: number;
  seriesId: Int32Array;
  ts: Float64Array;
  /** Numbers and booleans (1/0); NaN for none (text values, null, non-finite numbers). */
  value: Float64Array;
  /** 0 good, 1 uncertain, 2 bad. */
  quality: Uint8Array;
  /** When the gateway received each sample (for the latest-value cache; not stored). */
  receivedTs: Float64Array;
  /** Text values, or null when no row has one. */
  text: Array<string | null> | null;
  /** Why a quality is not good, or null when no row has a reason. */
  reason: Array<string | null> | null;
}

/** Empty columns for up to `capacity` rows. */
export function allocateColumns(capacity: number): SampleColumns {
  return {
    n: 0,
    seriesId: new Int32Array(capacity),
    ts: new Float64Array(capacity),
    value: new Float64Array(capacity),
    quality: new Uint8Array(capacity),
    receivedTs: new Float64Array(capacity),
    text: null,
    reason: null,
  };
}

/** Sets a row's text value, creating the text column on first use. */
export function setText(c: SampleColumns, i: number, text: string): void {
  (c.text ??= new Array<string | null>(c.ts.length).fill(null))[i] = text;
}

/** Sets a row's reason, creating the reason column on first use. */
export function setReason(c: SampleColumns, i: number, reason: string): void {
  (c.reason ??= new Array<string | null>(c.ts.length).fill(null))[i] = reason;
}

/** Counting-sort scratch, reused across calls (the sort runs synchronously). */
let counts = new Int32Array(0);

/**
 * Merges column sets into one, rows sorted by (series, ts): rows in key order touch each B-tree page
 * once per transaction, an order of magnitude faster than arrival order, which interleaves every series.
 * Series ids are dense, so a counting sort on the id (O(rows + ids)) does the first key and an
 * insertion sort within each series (its samples mostly arrive in time order) the second.
 */
export function mergeSorted(parts: readonly SampleColumns[], maxSeriesId: number): SampleColumns {
  const all = concat(parts);
  const { n, seriesId: sid, ts } = all;
  const order = new Uint32Array(n);
  if (maxSeriesId <= 8 * n + 65_536) {
    const size = maxSeriesId + 2;
    if (counts.length < size) counts = new Int32Array(Math.max(size, counts.length * 2));
    counts.fill(0, 0, size);
    for (let i = 0; i < n; i++) counts[sid[i]! + 1]!++;
    for (let k = 1; k < size; k++) counts[k]! += counts[k - 1]!;
    for (let i = 0; i < n; i++) order[counts[sid[i]!]!++] = i;
    let start = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && sid[order[k]!] === sid[order[start]!]) continue;
      if (k - start > 1) sortRunByTs(order, start, k, ts);
      start = k;
    }
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    // Stable: of two samples with the same key, the first to arrive is the one stored.
    order.sort((a, b) => sid[a]! - sid[b]! || ts[a]! - ts[b]!);
  }
  const out = allocateColumns(n);
  out.n = n;
  if (all.text) out.text = new Array<string | null>(n);
  if (all.reason) out.reason = new Array<string | null>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    out.seriesId[k] = sid[i]!;
    out.ts[k] = ts[i]!;
    out.value[k] = all.value[i]!;
    out.quality[k] = all.quality[i]!;
    out.receivedTs[k] = all.receivedTs[i]!;
    if (out.text) out.text[k] = all.text![i]!;
    if (out.reason) out.reason[k] = all.reason![i]!;
  }
  return out;
}

/** The rows of several column sets, one after the other. */
function concat(parts: readonly SampleColumns[]): SampleColumns {
  let n = 0;
  for (const p of parts) n += p.n;
  const all = allocateColumns(n);
  all.n = n;
  const anyText = parts.some((p) => p.text !== null);
  const anyReason = parts.some((p) => p.reason !== null);
  if (anyText) all.text = [];
  if (anyReason) all.reason = [];
  let offset = 0;
  for (const p of parts) {
    all.seriesId.set(p.seriesId.subarray(0, p.n), offset);
    all.ts.set(p.ts.subarray(0, p.n), offset);
    all.value.set(p.value.subarray(0, p.n), offset);
    all.quality.set(p.quality.subarray(0, p.n), offset);
    all.receivedTs.set(p.receivedTs.subarray(0, p.n), offset);
    for (let r = 0; r < p.n; r++) {
      if (anyText) all.text!.push(p.text ? p.text[r]! : null);
      if (anyReason) all.reason!.push(p.reason ? p.reason[r]! : null);
    }
    offset += p.n;
  }
  return all;
}

/** Sorts order[start, end) by ts: a pass when already sorted, insertion sort when short, else a comparison sort. */
function sortRunByTs(order: Uint32Array, start: number, end: number, ts: Float64Array): void {
  let sorted = true;
  for (let k = start + 1; k < end; k++) {
    if (ts[order[k]!]! < ts[order[k - 1]!]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (end - start > 32) {
    order.subarray(start, end).sort((a, b) => ts[a]! - ts[b]!);
    return;
  }
  for (let k = start + 1; k < end; k++) {
    const v = order[k]!;
    const t = ts[v]!;
    let j = k - 1;
    while (j >= start && ts[order[j]!]! > t) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = v;
  }
}

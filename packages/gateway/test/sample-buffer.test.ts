import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { openSampleBuffer } from '@yulian/gateway';

const sample = (i: number): Sample => ({ device: 'cnc-01', point: 'rpm', ts: 1_700_000_000_000 + i, receivedTs: 1_700_000_000_000 + i, value: i, quality: 'good' });
const batch = (from: number, n: number): Sample[] => Array.from({ length: n }, (_, i) => sample(from + i));

describe('store-and-forward sample buffer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-buffer-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('never reuses sequence numbers when the buffer file is replaced, so the platform does not take new batches for duplicates', async () => {
    const first = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    const a = first.append(batch(0, 1));
    const b = first.append(batch(1, 1));
    expect(b).toBe(a + 1);
    first.close();
    await rm(join(dir, 'b.db'), { force: true });
    await new Promise((r) => setTimeout(r, 5));
    const second = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    expect(second.append(batch(2, 1))).toBeGreaterThan(b);
    second.close();
    // Reopening the same file continues where it was.
    const again = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    const c = again.peek()[0]!.seq;
    expect(again.append(batch(3, 1))).toBe(c + 1);
    again.close();
  });

  it('hands batches out in order and forgets them only when acknowledged', () => {
    const buffer = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    const s1 = buffer.append(batch(0, 3));
    const s2 = buffer.append(batch(3, 2));
    expect(buffer.peek().map((b) => [b.seq, b.samples.map((s) => s.value)])).toEqual([[s1, [0, 1, 2]], [s2, [3, 4]]]);
    expect(buffer.peek()).toHaveLength(2); // peeking removes nothing
    buffer.ack(s1);
    expect(buffer.peek().map((b) => b.seq)).toEqual([s2]);
    expect(buffer.stats()).toMatchObject({ batches: 1, samples: 2, appended: 5, acked: 3, dropped: 0 });
    buffer.close();
  });

  it('keeps every unacknowledged batch and its counters across a restart', () => {
    let buffer = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    buffer.append(batch(0, 4));
    const second = buffer.append(batch(4, 4));
    buffer.ack(second - 1);
    buffer.close();
    buffer = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: 10_000_000 });
    expect(buffer.peek().flatMap((b) => b.samples.map((s) => s.value))).toEqual([4, 5, 6, 7]);
    expect(buffer.stats()).toMatchObject({ batches: 1, samples: 4, appended: 8, acked: 4 });
    buffer.close();
  });

  it('drops the oldest batches when full, and counts and keeps the count', () => {
    const one = Buffer.byteLength(JSON.stringify(batch(40, 10))); // the largest of the five
    let buffer = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: one * 3 + 10 });
    for (let i = 0; i < 5; i++) buffer.append(batch(i * 10, 10));
    expect(buffer.stats()).toMatchObject({ batches: 3, samples: 30, dropped: 20 });
    expect(buffer.peek()[0]?.samples[0]?.value).toBe(20);
    expect(buffer.stats().bytes).toBeLessThanOrEqual(one * 3 + 10);
    buffer.close();
    buffer = openSampleBuffer({ path: join(dir, 'b.db'), maxBytes: one * 3 + 10 });
    expect(buffer.stats().dropped).toBe(20);
    buffer.close();
  });

  it('loses nothing it accepted when the process is killed mid-stream', async () => {
    const path = join(dir, 'crash.db');
    // A separate process appends as fast as it can and reports each accepted sequence number; we kill it hard.
    const script = `
      import { openSampleBuffer } from '@yulian/gateway';
      const b = openSampleBuffer({ path: ${JSON.stringify(path)}, maxBytes: 1e9 });
      for (let i = 0; ; i++) {
        const seq = b.append([{ device: 'd', point: 'p', ts: i, receivedTs: i, value: i, quality: 'good' }]);
        process.stdout.write(seq + '\\n');
        if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        // Count complete lines only: a trailing piece without its newline is not a reported number yet.
        if ((out.match(/\n/g)?.length ?? 0) > 2000) {
          clearInterval(check);
          child.kill('SIGKILL');
          resolve();
        }
      }, 10);
    });
    await new Promise((r) => child.on('exit', r));
    const reported = out.split('\n').filter(Boolean).map(Number);
    const buffer = openSampleBuffer({ path, maxBytes: 1e9 });
    const stored = new Set(buffer.peek(1e6).map((b) => b.seq));
    expect(reported.length).toBeGreaterThan(2000);
    expect(reported.filter((seq) => !stored.has(seq))).toEqual([]);
    buffer.close();
  });
});

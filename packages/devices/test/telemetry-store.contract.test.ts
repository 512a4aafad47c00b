import type { Sample } from '@yulian/contracts';
import { type Store, allTenants, storeBackends, tenantScope } from '@yulian/core';
import { type TelemetryStore, createTelemetryStore } from '@yulian/devices';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const sample = (device: string, point: string, ts: number, value: Sample['value'], quality: Sample['quality'] = 'good'): Sample => ({ device, point, ts, receivedTs: ts + 5, value, quality });
/** One sample a second of `value(i)` for `seconds` seconds from `start`. */
const ramp = (device: string, point: string, start: number, seconds: number, value: (i: number) => number): Sample[] =>
  Array.from({ length: seconds }, (_, i) => sample(device, point, start + i * 1000, value(i)));

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`telemetry store on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let clock = t0;
    let telemetry: TelemetryStore;
    const open = (s: Store): TelemetryStore => createTelemetryStore({ store: s, now: () => clock, flushIntervalMs: 3_600_000 });

    beforeEach(async () => {
      const opened = await backend.open();
      store = opened.store;
      cleanup = opened.cleanup;
      clock = t0;
      telemetry = open(store);
      await telemetry.start();
    });
    afterEach(async () => {
      await telemetry.close();
      await cleanup();
    });

    it('stores samples once, however often a batch is delivered, and keeps the latest value of each point', async () => {
      const batch = [...ramp('cnc-1', 'spindle', t0, 10, (i) => i), sample('cnc-1', 'mode', t0, 'AUTO'), sample('cnc-1', 'door', t0 + 500, true)];
      expect(await telemetry.write('t1', batch)).toEqual({ stored: 12, rejected: 0 });
      await telemetry.write('t1', batch);
      const rows = await store.db.selectFrom('telemetry_raw').select(['point', 'value_num', 'value_text', 'tenant_id']).where('device', '=', 'cnc-1').execute();
      expect(rows).toHaveLength(12);
      expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set(['t1']));
      const latest = await telemetry.latest(tenantScope('t1'), 'cnc-1');
      expect(latest.map((l) => [l.point, l.value, l.ts])).toEqual([['door', 1, t0 + 500], ['mode', 'AUTO', t0], ['spindle', 9, t0 + 9000]]);
      expect(latest.find((l) => l.point === 'spindle')?.receivedTs).toBe(t0 + 9005);
    });

    it('rolls up closed minutes and hours with count, sum, min, max, first and last, leaving out bad samples', async () => {
      const samples = ramp('pump', 'flow', t0, 180, (i) => i);
      samples[30] = { ...samples[30]!, quality: 'bad', value: 1e9 };
      await telemetry.write(null, samples);
      clock = t0 + 3 * 60_000 + 10_000;
      await telemetry.flushRollups();
      const minutes = await store.db.selectFrom('telemetry_1m').selectAll().orderBy('bucket').execute();
      expect(minutes.map((m) => [m.bucket - t0, Number(m.count), m.min, m.max, m.first, m.last])).toEqual([
        [0, 59, 0, 59, 0, 59],
        [60_000, 60, 60, 119, 60, 119],
        [120_000, 60, 120, 179, 120, 179],
      ]);
      expect(minutes[0]!.sum).toBe((59 * 60) / 2 - 30);
      // The hour is still open: rolled up once it closes.
      expect(await store.db.selectFrom('telemetry_1h').selectAll().execute()).toHaveLength(0);
      clock = t0 + 3_600_000 + 10_000;
      await telemetry.flushRollups();
      const hours = await store.db.selectFrom('telemetry_1h').selectAll().execute();
      expect(hours.map((h) => [h.bucket, Number(h.count), h.min, h.max, h.first, h.last, h.first_ts, h.last_ts])).toEqual([[t0, 179, 0, 179, 0, 179, t0, t0 + 179_000]]);
    });

    it('stores batches written at once exactly, duplicates included, and rolls them all up', async () => {
      // Twenty batches in flight together (PostgreSQL runs two write transactions at a time), each
      // overlapping the next by half: 1,050 distinct samples over three series.
      const batches = Array.from({ length: 20 }, (_, b) => ['a', 'b', 'c'].flatMap((p) => ramp('mill', p, t0 + b * 50_000, 100, (i) => b * 50 + i)));
      const results = await Promise.all(batches.map((batch) => telemetry.write(null, batch)));
      expect(results.every((r) => r.stored === 300 && r.rejected === 0)).toBe(true);
      await telemetry.flushRollups({ open: true });
      const raw = await store.db.selectFrom('telemetry_raw').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(raw.n)).toBe(3 * 1050);
      const minutes = await store.db.selectFrom('telemetry_1m').select((eb) => eb.fn.sum<number>('count').as('n')).executeTakeFirstOrThrow();
      expect(Number(minutes.n)).toBe(3 * 1050);
      const latest = await telemetry.latest(allTenants, 'mill');
      expect(latest.map((l) => [l.point, l.ts, l.value])).toEqual(['a', 'b', 'c'].map((p) => [p, t0 + 1049_000, 1049]));
    });

    it('rolls up a late sample into a minute that was already rolled up', async () => {
      await telemetry.write(null, ramp('pump', 'flow', t0, 60, () => 10));
      clock = t0 + 70_000;
      await telemetry.flushRollups();
      await telemetry.write(null, [sample('pump', 'flow', t0 + 500, 100)]);
      await telemetry.flushRollups();
      const [m] = await store.db.selectFrom('telemetry_1m').selectAll().execute();
      expect([Number(m!.count), m!.max, m!.sum]).toEqual([61, 100, 700]);
    });

    it('paces the roll-up of a closed minute while its samples still stream in, and still answers queries with them', async () => {
      clock = t0 + 70_000;
      await telemetry.write(null, ramp('pump', 'flow', t0, 30, () => 1));
      await telemetry.flushRollups({ paced: true });
      expect(await store.db.selectFrom('telemetry_1m').selectAll().execute()).toHaveLength(0);
      // More late samples a second later: still streaming, still not rolled up by the tick …
      clock += 1_000;
      await telemetry.write(null, ramp('pump', 'flow', t0 + 30_000, 30, () => 3));
      await telemetry.flushRollups({ paced: true });
      expect(await store.db.selectFrom('telemetry_1m').selectAll().execute()).toHaveLength(0);
      // … but a query reading the minute rolls it up first,
      const [s] = await telemetry.query(allTenants, { device: 'pump', from: t0, to: t0 + 60_000, intervalMs: 60_000 });
      expect(s!.points).toEqual([expect.objectContaining({ ts: t0, count: 60, value: 2 })]);
      // and once the samples pause for 2 s the tick does.
      await telemetry.write(null, [sample('pump', 'flow', t0 + 59_500, 5)]);
      clock += 2_500;
      await telemetry.flushRollups({ paced: true });
      expect((await store.db.selectFrom('telemetry_1m').select('count').execute()).map((r) => Number(r.count))).toEqual([61]);
    });

    it('rolls up after a crash what the crashed process had stored but not rolled up', async () => {
      await telemetry.write(null, ramp('pump', 'flow', t0, 120, (i) => i % 7));
      // No flush, no close: the process dies here. A new one starts on the same store.
      clock = t0 + 600_000;
      const next = open(store);
      await next.start();
      const minutes = await store.db.selectFrom('telemetry_1m').select(['bucket', 'count']).orderBy('bucket').execute();
      expect(minutes.map((m) => [m.bucket - t0, Number(m.count)])).toEqual([[0, 60], [60_000, 60]]);
      expect(await store.db.selectFrom('telemetry_1h').select('count').execute()).toEqual([{ count: 120 }]);
      expect(await store.db.selectFrom('telemetry_dirty').selectAll().execute()).toEqual([]);
      await next.close();
    });

    const minuteCounts = async (): Promise<Array<[number, number]>> =>
      (await store.db.selectFrom('telemetry_1m').select(['bucket', 'count']).orderBy('bucket').execute()).map((m) => [m.bucket - t0, Number(m.count)]);

    it('leaves the pending minutes of a writer that is alive to it when another starts, so nothing is counted twice', async () => {
      await telemetry.write(null, ramp('pump', 'flow', t0, 60, (i) => i));
      const other = open(store);
      await other.start();
      // The first writer's heartbeat (every 5 s with each tick; here its flush) keeps it alive.
      clock = t0 + 30_000;
      await telemetry.flushRollups();
      clock = t0 + 70_000;
      await other.flushRollups();
      expect(await minuteCounts()).toEqual([]);
      await telemetry.flushRollups();
      expect(await minuteCounts()).toEqual([[0, 60]]);
      await other.close();
    });

    it('recomputes what a writer left pending once it is gone (not seen for writerTimeoutMs), from another running writer', async () => {
      const other = open(store);
      await other.start();
      await telemetry.write(null, ramp('pump', 'flow', t0, 120, (i) => i));
      // `telemetry` stops answering (no heartbeat) without closing; `other` keeps running.
      clock = t0 + 200_000;
      await other.flushRollups();
      expect(await minuteCounts()).toEqual([[0, 60], [60_000, 60]]);
      expect(await store.db.selectFrom('telemetry_dirty').selectAll().execute()).toEqual([]);
      await other.close();
    });

    it('recomputes instead of adding its sums when it was declared gone but was only paused, and keeps adding afterwards', async () => {
      const other = open(store);
      await other.start();
      await telemetry.write(null, ramp('pump', 'flow', t0, 60, (i) => i));
      clock = t0 + 200_000;
      await other.flushRollups();
      expect(await minuteCounts()).toEqual([[0, 60]]);
      // The paused writer wakes up holding the sums of the same samples: adding them would make 120.
      await telemetry.flushRollups();
      expect(await minuteCounts()).toEqual([[0, 60]]);
      await telemetry.write(null, [sample('pump', 'flow', t0 + 59_500, 100)]);
      await telemetry.flushRollups();
      expect(await minuteCounts()).toEqual([[0, 61]]);
      const [row] = await store.db.selectFrom('telemetry_1m').selectAll().execute();
      expect([row!.max, row!.last, row!.sum]).toEqual([100, 100, (59 * 60) / 2 + 100]);
      await other.close();
    });

    it('answers at most maxPoints per series from the tier that fits, equal to aggregating the raw samples', async () => {
      // Two days of one sample every 10 s, rolled up.
      const seconds = 2 * 86_400 / 10;
      for (let i = 0; i < seconds; i += 5000) {
        await telemetry.write(null, Array.from({ length: Math.min(5000, seconds - i) }, (_, k) => sample('oven', 'temp', t0 + (i + k) * 10_000, Math.sin((i + k) / 50) * 100)));
      }
      clock = t0 + 2 * 86_400_000 + 60_000;
      await telemetry.flushRollups();
      const from = t0 + 3_600_000;
      const to = t0 + 2 * 86_400_000;
      const [series] = await telemetry.query(allTenants, { device: 'oven', points: ['temp'], from, to, maxPoints: 100 });
      expect(series!.tier).toBe('1m');
      // 47 h over 99 intervals, rounded up to whole minutes: 29 min.
      expect(series!.intervalMs).toBe(29 * 60_000);
      expect(series!.points.length).toBeLessThanOrEqual(100);
      // Every bucket equals the same aggregation over raw samples.
      const interval = series!.intervalMs!;
      const width = sql.lit(interval);
      const { rows } = await sql<{ b: number; n: number; mn: number; mx: number; s: number }>`
        SELECT (ts - (ts % ${width})) AS b, count(*) AS n, min(value_num) AS mn, max(value_num) AS mx, sum(value_num) AS s
        FROM telemetry_raw WHERE device = 'oven' AND ts >= ${from - (from % interval)} AND ts < ${to} GROUP BY (ts - (ts % ${width})) ORDER BY b`.execute(store.db);
      expect(series!.points.map((p) => [p.ts, p.count])).toEqual(rows.map((r) => [Number(r.b), Number(r.n)]));
      series!.points.forEach((p, i) => {
        expect(p.min).toBeCloseTo(Number(rows[i]!.mn), 9);
        expect(p.max).toBeCloseTo(Number(rows[i]!.mx), 9);
        expect(p.value).toBeCloseTo(Number(rows[i]!.s) / Number(rows[i]!.n), 9);
      });
      // Two days into 20 points: the hour tier; a short range: the raw samples themselves.
      const [coarse] = await telemetry.query(allTenants, { device: 'oven', from: t0, to, maxPoints: 20 });
      expect([coarse!.tier, coarse!.intervalMs, coarse!.points.length <= 20]).toEqual(['1h', 3 * 3_600_000, true]);
      const [raw] = await telemetry.query(allTenants, { device: 'oven', from: t0, to: t0 + 100_000 });
      expect(raw!.tier).toBe('raw');
      expect(raw!.points.map((p) => p.ts)).toEqual(Array.from({ length: 10 }, (_, i) => t0 + i * 10_000));
    });

    it('reads the recent, not yet rolled-up minutes from raw samples', async () => {
      clock = t0 + 10 * 60_000;
      await telemetry.write(null, ramp('fan', 'rpm', t0 + 8 * 60_000, 120, () => 5));
      // Nothing rolled up yet (no flush): the last two minutes still count.
      const [s] = await telemetry.query(allTenants, { device: 'fan', from: t0, to: clock, intervalMs: 300_000 });
      expect(s!.points.map((p) => [p.ts - t0, p.count])).toEqual([[300_000, 120]]);
    });

    it('refuses bad queries with a code and keeps tenants apart', async () => {
      await telemetry.write('t1', [sample('cnc-1', 'spindle', t0, 1)]);
      await expect(telemetry.query(allTenants, { device: 'cnc-1', from: t0 + 10, to: t0 })).rejects.toMatchObject({ code: 'TIME_RANGE_INVALID' });
      await expect(telemetry.query(allTenants, { device: 'cnc-1', from: t0, to: t0 + 4000 * 86_400_000 })).rejects.toMatchObject({ code: 'TIME_RANGE_INVALID', message: expect.stringContaining('at most 3660 days') });
      await expect(telemetry.query(allTenants, { device: 'cnc-1', points: ['nope'], from: t0, to: t0 + 1 })).rejects.toMatchObject({ code: 'POINT_NOT_FOUND' });
      await expect(telemetry.query(allTenants, { device: 'cnc-1', from: t0, to: t0 + 1, maxPoints: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(telemetry.latest(tenantScope('t2'), 'cnc-1')).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
      await expect(telemetry.latest(allTenants, 'nope')).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
      expect(await telemetry.devices(tenantScope('t2'))).toEqual([]);
      expect(await telemetry.devices(tenantScope('t1'))).toEqual([{ device: 'cnc-1', points: 1, lastTs: t0 }]);
    });

    it('refuses samples with timestamps outside the accepted window and stores the rest', async () => {
      const r = await telemetry.write(null, [sample('d', 'p', 5, 1), sample('d', 'p', clock + 3 * 86_400_000, 1), sample('d', 'p', clock, 2)]);
      expect(r).toEqual({ stored: 1, rejected: 2 });
      expect(telemetry.stats().samplesRejected).toBe(2);
    });

    it('exports raw samples and rollups as CSV', async () => {
      await telemetry.write(null, [sample('d,1', 'p', t0, 1.5), sample('d,1', 'p', t0 + 1000, 'text "q"'), sample('d,1', 'p', t0 + 2000, null, 'bad')]);
      let csv = '';
      for await (const chunk of telemetry.exportRows(allTenants, { device: 'd,1', from: t0, to: t0 + 10_000, tier: 'raw' })) csv += chunk;
      expect(csv.split('\n')).toEqual([
        'device,point,time,ts,value,quality,reason',
        `"d,1",p,${new Date(t0).toISOString()},${t0},1.5,good,`,
        `"d,1",p,${new Date(t0 + 1000).toISOString()},${t0 + 1000},"text ""q""",good,`,
        `"d,1",p,${new Date(t0 + 2000).toISOString()},${t0 + 2000},,bad,`,
        '',
      ]);
      await telemetry.flushRollups({ open: true });
      csv = '';
      for await (const chunk of telemetry.exportRows(allTenants, { device: 'd,1', from: t0, to: t0 + 60_000, tier: '1m' })) csv += chunk;
      expect(csv.split('\n')[1]).toBe(`"d,1",p,${new Date(t0).toISOString()},${t0},1,1.5,1.5,1.5,1.5,1.5`);
    });

    it('deletes what each tier keeps no longer', async () => {
      await telemetry.write(null, ramp('d', 'p', t0, 120, () => 1));
      await telemetry.flushRollups({ open: true });
      clock = t0 + 31 * 86_400_000;
      await telemetry.write(null, [sample('d', 'p', clock, 2)]);
      const removed = await telemetry.enforceRetention();
      expect(removed.raw).toBeGreaterThan(0);
      expect(removed['1m']).toBe(0);
      const left = await store.db.selectFrom('telemetry_raw').select('ts').execute();
      expect(left.map((r) => r.ts)).toEqual([clock]);
      expect(await store.db.selectFrom('telemetry_1m').select('count').execute()).toHaveLength(2);
    });
  });
}

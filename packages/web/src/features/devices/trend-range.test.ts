import { describe, expect, it } from 'vitest';
import { customRange, maxPointsFor, mergeDetail, needsDetail, presetRange, rangePresets, toLocalInput, visibleRange } from './trend-range';
import { pointsOf } from './device-points';

describe('trend ranges', () => {
  it('asks for about one point per pixel of the chart, within bounds', () => {
    expect(maxPointsFor(1180)).toBe(1180);
    expect(maxPointsFor(20)).toBe(60);
    expect(maxPointsFor(10_000)).toBe(4000);
    expect(maxPointsFor(0)).toBe(600);
    expect(maxPointsFor(Number.NaN)).toBe(600);
  });

  it('keeps a 30-day range of 1 s data to the chart’s width, not 2.6 million samples', () => {
    const range = presetRange('30d', Date.UTC(2026, 10, 30));
    expect(range.to - range.from).toBe(30 * 86_400_000);
    const samplesAt1Hz = (range.to - range.from) / 1000;
    expect(samplesAt1Hz).toBe(2_592_000);
    expect(maxPointsFor(1366 - 300)).toBeLessThan(samplesAt1Hz / 1000);
  });

  it('offers every preset ending now', () => {
    const now = 1_000_000_000_000;
    expect(rangePresets.map((p) => (now - presetRange(p, now).from) / 60_000)).toEqual([15, 60, 360, 1440, 10_080, 43_200]);
  });

  it('turns zoom percentages into the visible window, whole seconds, in either order', () => {
    expect(visibleRange({ from: 0, to: 100_000 }, 25, 50)).toEqual({ from: 25_000, to: 50_000 });
    expect(visibleRange({ from: 0, to: 100_000 }, 50, 25)).toEqual({ from: 25_000, to: 50_000 });
    expect(visibleRange({ from: 1_500, to: 101_500 }, -5, 120)).toEqual({ from: 1_000, to: 102_000 });
  });

  it('queries detail only for a window clearly narrower than the range', () => {
    const range = { from: 0, to: 1000 };
    expect(needsDetail(range, { from: 0, to: 900 })).toBe(false);
    expect(needsDetail(range, { from: 100, to: 500 })).toBe(true);
  });

  it('replaces the overview inside the zoomed window by the detail and keeps it outside', () => {
    const overview = [0, 10, 20, 30, 40].map((ts) => ({ ts, v: 'o' }));
    const detail = [12, 14, 16, 18].map((ts) => ({ ts, v: 'd' }));
    expect(mergeDetail(overview, detail, { from: 11, to: 29 }).map((p) => `${p.v}${p.ts}`)).toEqual(['o0', 'o10', 'd12', 'd14', 'd16', 'd18', 'o30', 'o40']);
    expect(mergeDetail(overview, [], { from: 11, to: 29 })).toEqual(overview);
  });

  it('reads a custom range from the inputs and refuses an empty or reversed one', () => {
    const from = toLocalInput(Date.UTC(2026, 0, 1, 8, 0));
    const to = toLocalInput(Date.UTC(2026, 0, 1, 9, 30));
    expect(customRange(from, to)).toEqual({ from: Date.parse(from), to: Date.parse(to) });
    expect(customRange(to, from)).toBeUndefined();
    expect(customRange('', to)).toBeUndefined();
  });
});

describe('device points', () => {
  it('reads range, unit, writability and criticality from a configuration, never trusting a read-only table', () => {
    const points = pointsOf({
      config: {
        points: [
          { key: 'spindle_speed_sp', name: '主轴转速设定', unit: 'rpm', dataType: 'uint16', access: 'read-write', min: 100, max: 10000, modbus: { table: 'holding', address: 0 } },
          { key: 'enabled', dataType: 'bool', access: 'read-write', critical: true, modbus: { table: 'coil', address: 0 } },
          { key: 'rpm', dataType: 'uint16', access: 'read-write', modbus: { table: 'input', address: 0 } },
          { nothing: true },
        ],
      },
    });
    expect(points.map((p) => [p.key, p.writable, p.critical, p.min ?? null, p.max ?? null, p.unit])).toEqual([
      ['spindle_speed_sp', true, false, 100, 10000, 'rpm'],
      ['enabled', true, true, null, null, ''],
      ['rpm', false, false, null, null, ''],
    ]);
    expect(pointsOf(undefined)).toEqual([]);
  });
});

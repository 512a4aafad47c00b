import { describe, expect, it } from 'vitest';
import type { DashboardLayout, DashboardWidget } from '@yulian/contracts';
import { devicesOf, moveWidget, nextWidgetId, putWidget, removeWidget } from './layout-edit';

const value = (id: string, device = 'cnc-01'): DashboardWidget => ({ id, type: 'value', title: '', w: 3, h: 1, device, point: 'spindle_speed' });
const layout: DashboardLayout = { refreshSeconds: 30, widgets: [value('a'), value('b', 'cnc-02'), { id: 's', type: 'status-grid', title: '', w: 12, h: 1, devices: ['cnc-02', 'compressor-01'] }] };

describe('dashboard layout editing', () => {
  it('names a new widget by its kind and the lowest free number', () => {
    expect(nextWidgetId([], 'gauge')).toBe('gauge-1');
    expect(nextWidgetId([{ id: 'gauge-1' }, { id: 'gauge-3' }], 'gauge')).toBe('gauge-2');
  });

  it('replaces a widget by id or adds it at the end, and removes one', () => {
    expect(putWidget(layout, { ...value('a'), title: 'T' }).widgets.map((w) => `${w.id}${w.title}`)).toEqual(['aT', 'b', 's']);
    expect(putWidget(layout, value('c')).widgets.map((w) => w.id)).toEqual(['a', 'b', 's', 'c']);
    expect(removeWidget(layout, 'b').widgets.map((w) => w.id)).toEqual(['a', 's']);
  });

  it('moves a widget earlier or later and leaves the ends alone', () => {
    expect(moveWidget(layout, 'b', -1).widgets.map((w) => w.id)).toEqual(['b', 'a', 's']);
    expect(moveWidget(layout, 'b', 1).widgets.map((w) => w.id)).toEqual(['a', 's', 'b']);
    expect(moveWidget(layout, 'a', -1)).toBe(layout);
    expect(moveWidget(layout, 's', 1)).toBe(layout);
  });

  it('lists each device the widgets read once', () => {
    expect(devicesOf(layout)).toEqual(['cnc-01', 'cnc-02', 'compressor-01']);
  });
});

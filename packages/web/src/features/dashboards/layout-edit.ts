import type { DashboardLayout, DashboardWidget, DashboardWidgetType } from '@yulian/contracts';

/**
 * The kinds of widget, in the order the editor offers them (the contracts' list, repeated here because
 * the console imports only types from contracts, keeping zod out of its bundle).
 */
export const widgetTypes: readonly DashboardWidgetType[] = ['value', 'gauge', 'timeseries', 'status-grid', 'floor-map', 'alarm-list'];

/** A widget's kind and the grid size it starts with. */
export const widgetDefaults: Record<DashboardWidgetType, { w: number; h: number }> = {
  timeseries: { w: 6, h: 2 },
  gauge: { w: 3, h: 2 },
  value: { w: 3, h: 1 },
  'status-grid': { w: 12, h: 1 },
  'floor-map': { w: 6, h: 2 },
  'alarm-list': { w: 6, h: 2 },
};

/**
 * A widget id not yet used in `widgets`: the kind and the lowest free number.
 * @example nextWidgetId([{ id: 'gauge-1' }], 'gauge') // 'gauge-2'
 */
export function nextWidgetId(widgets: ReadonlyArray<Pick<DashboardWidget, 'id'>>, type: DashboardWidgetType): string {
  const used = new Set(widgets.map((w) => w.id));
  for (let n = 1; ; n++) if (!used.has(`${type}-${n}`)) return `${type}-${n}`;
}

/** The layout with `widget` in place of the one with its id, or added at the end. */
export function putWidget(layout: DashboardLayout, widget: DashboardWidget): DashboardLayout {
  const at = layout.widgets.findIndex((w) => w.id === widget.id);
  const widgets = at < 0 ? [...layout.widgets, widget] : layout.widgets.map((w, i) => (i === at ? widget : w));
  return { ...layout, widgets };
}

/** The layout without widget `id`. */
export const removeWidget = (layout: DashboardLayout, id: string): DashboardLayout => ({ ...layout, widgets: layout.widgets.filter((w) => w.id !== id) });

/** The layout with widget `id` moved one place earlier (`-1`) or later (`1`) in reading order. */
export function moveWidget(layout: DashboardLayout, id: string, by: -1 | 1): DashboardLayout {
  const at = layout.widgets.findIndex((w) => w.id === id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= layout.widgets.length) return layout;
  const widgets = [...layout.widgets];
  [widgets[at], widgets[to]] = [widgets[to] as DashboardWidget, widgets[at] as DashboardWidget];
  return { ...layout, widgets };
}

/** The devices a layout's widgets read, each once ("all" of a status grid is not a device). */
export function devicesOf(layout: DashboardLayout): string[] {
  const ids = layout.widgets.flatMap((w) => {
    if (w.type === 'timeseries' || w.type === 'gauge' || w.type === 'value') return [w.device];
    if (w.type === 'status-grid' && w.devices !== 'all') return w.devices;
    return [];
  });
  return [...new Set(ids)];
}

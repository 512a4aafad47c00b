import { useId, useState } from 'react';
import type { DashboardRange, DashboardWidget, DashboardWidgetType } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { useApi } from '../auth/session-context';
import { widgetTypeLabel } from './dashboard-grid';
import { widgetDefaults, widgetTypes } from './layout-edit';
import { rangePresets } from '../devices/trend-range';

/** Props of {@link WidgetDialog}. */
export interface WidgetDialogProps {
  /** The widget to change, or a new one's id. */
  widget: DashboardWidget | { id: string };
  onClose: () => void;
  onSave: (widget: DashboardWidget) => void;
}

interface Draft {
  type: DashboardWidgetType;
  title: string;
  w: number;
  h: number;
  device: string;
  points: string;
  range: DashboardRange;
  min: string;
  max: string;
  allDevices: boolean;
  site: string;
}

const draftOf = (w: DashboardWidget | { id: string }): Draft => {
  const base: Draft = { type: 'value', title: '', w: 3, h: 1, device: '', points: '', range: '1h', min: '0', max: '100', allDevices: true, site: '' };
  if (!('type' in w)) return base;
  const d: Draft = { ...base, type: w.type, title: w.title, w: w.w, h: w.h };
  if (w.type === 'timeseries') return { ...d, device: w.device, points: w.points.join(', '), range: w.range };
  if (w.type === 'gauge') return { ...d, device: w.device, points: w.point, min: String(w.min), max: String(w.max) };
  if (w.type === 'value') return { ...d, device: w.device, points: w.point };
  if (w.type === 'status-grid') return { ...d, allDevices: w.devices === 'all', points: w.devices === 'all' ? '' : w.devices.join(', ') };
  if (w.type === 'floor-map') return { ...d, site: w.site };
  return d;
};

const list = (text: string): string[] => text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);

/** The widget a draft describes, or the message key of its first problem. */
export function widgetFromDraft(id: string, d: Draft): DashboardWidget | MessageKey {
  const base = { id, title: d.title.trim(), w: d.w, h: d.h };
  const points = list(d.points);
  const needsDevice = d.type === 'timeseries' || d.type === 'gauge' || d.type === 'value';
  if (needsDevice && !d.device) return 'widget.deviceRequired';
  if (needsDevice && points.length === 0) return 'widget.pointRequired';
  switch (d.type) {
    case 'timeseries':
      return { ...base, type: 'timeseries', device: d.device, points: points.slice(0, 8), range: d.range };
    case 'gauge': {
      const min = Number(d.min);
      const max = Number(d.max);
      if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return 'widget.rangeInvalid';
      return { ...base, type: 'gauge', device: d.device, point: points[0] as string, min, max };
    }
    case 'value':
      return { ...base, type: 'value', device: d.device, point: points[0] as string };
    case 'status-grid':
      return { ...base, type: 'status-grid', devices: d.allDevices || points.length === 0 ? 'all' : points };
    case 'floor-map':
      return { ...base, type: 'floor-map', site: d.site.trim() };
    case 'alarm-list':
      return { ...base, type: 'alarm-list', limit: 10 };
  }
}

/** Adds or configures one widget: its kind, title, size and what it shows. */
export function WidgetDialog({ widget, onClose, onSave }: WidgetDialogProps) {
  const { t } = useI18n();
  const api = useApi();
  const pointsListId = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(widget));
  const [problem, setProblem] = useState<MessageKey | undefined>();
  const devices = useResource((signal) => api.listDevices({ signal }), [api]);
  const latest = useResource((signal) => (draft.device ? api.deviceLatest(draft.device, { signal }) : Promise.resolve([])), [api, draft.device]);
  const isNew = !('type' in widget);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const needsDevice = draft.type === 'timeseries' || draft.type === 'gauge' || draft.type === 'value';

  const save = () => {
    const result = widgetFromDraft(widget.id, draft);
    if (typeof result === 'string') setProblem(result);
    else onSave(result);
  };

  return (
    <Dialog title={isNew ? t('widget.add') : t('widget.configure')} onClose={onClose} wide>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Field label={t('widget.type')}>
          {(control) => (
            <select
              {...control}
              value={draft.type}
              disabled={!isNew}
              onChange={(e) => {
                const type = e.target.value as DashboardWidgetType;
                set({ type, ...widgetDefaults[type] });
              }}
            >
              {widgetTypes.map((type) => (
                <option key={type} value={type}>
                  {t(widgetTypeLabel[type])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('widget.title')}>{(control) => <input {...control} value={draft.title} maxLength={100} onChange={(e) => set({ title: e.target.value })} />}</Field>
        {needsDevice ? (
          <>
            <Field label={t('widget.device')}>
              {(control) => (
                <select {...control} value={draft.device} onChange={(e) => set({ device: e.target.value })}>
                  <option value="">{t('widget.choose')}</option>
                  {(devices.data ?? []).map((d) => (
                    <option key={d.device} value={d.device}>
                      {d.device}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={draft.type === 'timeseries' ? t('widget.points') : t('widget.point')} hint={draft.type === 'timeseries' ? t('widget.pointsHint') : undefined}>
              {(control) => <input {...control} list={pointsListId} value={draft.points} onChange={(e) => set({ points: e.target.value })} />}
            </Field>
            <datalist id={pointsListId}>
              {(latest.data ?? []).map((v) => (
                <option key={v.point} value={v.point} />
              ))}
            </datalist>
          </>
        ) : null}
        {draft.type === 'timeseries' ? (
          <Field label={t('trend.range')}>
            {(control) => (
              <select {...control} value={draft.range} onChange={(e) => set({ range: e.target.value as Draft['range'] })}>
                {rangePresets.map((r) => (
                  <option key={r} value={r}>
                    {t(`trend.range.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {draft.type === 'gauge' ? (
          <>
            <Field label={t('widget.min')}>{(control) => <input {...control} inputMode="decimal" value={draft.min} onChange={(e) => set({ min: e.target.value })} />}</Field>
            <Field label={t('widget.max')}>{(control) => <input {...control} inputMode="decimal" value={draft.max} onChange={(e) => set({ max: e.target.value })} />}</Field>
          </>
        ) : null}
        {draft.type === 'status-grid' ? (
          <>
            <label className="check">
              <input type="checkbox" checked={draft.allDevices} onChange={(e) => set({ allDevices: e.target.checked })} />
              {t('widget.allDevices')}
            </label>
            {draft.allDevices ? null : (
              <Field label={t('widget.devices')} hint={t('widget.pointsHint')}>
                {(control) => <input {...control} value={draft.points} onChange={(e) => set({ points: e.target.value })} />}
              </Field>
            )}
          </>
        ) : null}
        {draft.type === 'floor-map' ? <Field label={t('widget.site')}>{(control) => <input {...control} value={draft.site} onChange={(e) => set({ site: e.target.value })} />}</Field> : null}
        <Field label={t('widget.width')}>
          {(control) => (
            <select {...control} value={draft.w} onChange={(e) => set({ w: Number(e.target.value) })}>
              {[3, 4, 6, 8, 12].map((n) => (
                <option key={n} value={n}>
                  {t('widget.columns', { n })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('widget.height')}>
          {(control) => (
            <select {...control} value={draft.h} onChange={(e) => set({ h: Number(e.target.value) })}>
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={n}>
                  {t('widget.rows', { n })}
                </option>
              ))}
            </select>
          )}
        </Field>
        {problem ? (
          <p className="field-error" role="alert">
            {t(problem)}
          </p>
        ) : null}
        <FormActions submitLabel={t('widget.apply')} busy={false} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

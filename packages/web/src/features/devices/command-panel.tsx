import { useId, useState } from 'react';
import type { CommandRecord, CommandValue } from '@yulian/contracts';
import { ApiError } from '../../api/client';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { useApi } from '../auth/session-context';
import { useDeviceFormat } from './device-format';
import { parseCommandValue, rangeText } from './command-value';
import { isBoolPoint, isTextPoint, type PointMeta } from './device-points';

/** How many recent commands the panel lists. */
const historyLimit = 10;

const statusLook: Record<CommandRecord['status'], { className: string; label: MessageKey }> = {
  succeeded: { className: 'badge badge-on', label: 'command.status.succeeded' },
  failed: { className: 'badge badge-alert', label: 'command.status.failed' },
  timeout: { className: 'badge badge-warn', label: 'command.status.timeout' },
  pending: { className: 'badge', label: 'command.status.pending' },
};

/** Props of {@link CommandPanel}. */
export interface CommandPanelProps {
  device: string;
  /** The device's writable points. */
  points: readonly PointMeta[];
  /** The current value of each point, shown as the "old value" in the confirmation. */
  currentValue: (point: string) => number | string | boolean | null | undefined;
}

type Step = { kind: 'edit' } | { kind: 'confirm'; point: PointMeta; value: CommandValue } | { kind: 'critical'; point: PointMeta; value: CommandValue };

/**
 * 远程控制: writes a writable point. Every command is confirmed in a dialog that states the point, the old
 * and the new value; a critical point needs a second, explicit confirmation. The outcome — succeeded,
 * failed or timed out, with the value read back — shows under the form, and the device's recent commands
 * below it.
 */
export function CommandPanel({ device, points, currentValue }: CommandPanelProps) {
  const { t } = useI18n();
  const api = useApi();
  const format = useDeviceFormat();
  const headingId = useId();
  const [pointKey, setPointKey] = useState(points[0]?.key ?? '');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<MessageKey | undefined>();
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CommandRecord | undefined>();
  const [error, setError] = useState<unknown>();
  const history = useResource((signal) => api.listCommands(device, historyLimit, { signal }), [api, device]);
  const point = points.find((p) => p.key === pointKey) ?? points[0];
  if (!point) return null;

  const show = (v: CommandValue | null | undefined): string => (v === undefined ? t('common.none') : typeof v === 'boolean' ? t(v ? 'command.true' : 'command.false') : format.value(v));
  const withUnit = (v: CommandValue | null | undefined): string => `${show(v)}${point.unit && typeof v === 'number' ? ` ${point.unit}` : ''}`;

  const review = () => {
    const parsed = parseCommandValue(point, isBoolPoint(point) && text === '' ? 'true' : text);
    if ('error' in parsed) {
      setInvalid(parsed.error);
      return;
    }
    setInvalid(undefined);
    setStep({ kind: 'confirm', point, value: parsed.value });
  };

  const send = async (target: PointMeta, value: CommandValue) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.sendCommand(device, { point: target.key, value, ...(target.critical ? { confirm: true } : {}) }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
      setStep({ kind: 'edit' });
      history.reload();
    }
  };

  const confirmFirst = (s: Extract<Step, { kind: 'confirm' }>) => {
    if (s.point.critical) setStep({ kind: 'critical', point: s.point, value: s.value });
    else void send(s.point, s.value);
  };

  const range = rangeText(point);
  return (
    <section className="panel command-panel" aria-labelledby={headingId}>
      <h2 className="panel-title" id={headingId}>
        {t('command.title')}
      </h2>
      <form
        className="command-form"
        onSubmit={(e) => {
          e.preventDefault();
          review();
        }}
      >
        <Field label={t('command.point')}>
          {(control) => (
            <select {...control} value={point.key} onChange={(e) => (setPointKey(e.target.value), setText(''), setInvalid(undefined))}>
              {points.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.key}
                  {p.critical ? ` · ${t('command.critical')}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('command.newValue')}
          hint={[range && t('command.range', { range }), t('command.current', { value: withUnit(currentValue(point.key) ?? undefined) })].filter(Boolean).join(' · ')}
          error={invalid ? t(invalid, { range }) : undefined}
        >
          {(control) =>
            isBoolPoint(point) ? (
              <select {...control} value={text || 'true'} onChange={(e) => setText(e.target.value)}>
                <option value="true">{t('command.true')}</option>
                <option value="false">{t('command.false')}</option>
              </select>
            ) : (
              <input
                {...control}
                inputMode={isTextPoint(point) ? 'text' : 'decimal'}
                value={text}
                min={point.min}
                max={point.max}
                onChange={(e) => setText(e.target.value)}
              />
            )
          }
        </Field>
        {point.critical ? <p className="command-critical">{t('command.criticalNote')}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('command.sending') : t('command.send')}
          </button>
        </div>
      </form>

      <div role="status" className="command-result" aria-live="polite">
        {result ? (
          <p>
            <span className={statusLook[result.status].className}>{t(statusLook[result.status].label)}</span>{' '}
            {t('command.resultLine', { point: result.point, value: withUnit(result.value), readBack: withUnit(result.readBack) })}
            {result.reason ? <code className="quality-reason">{result.reason}</code> : null}
          </p>
        ) : null}
      </div>
      {error ? <CommandError error={error} /> : null}

      {step.kind !== 'edit' ? (
        <Dialog title={step.kind === 'confirm' ? t('command.confirmTitle') : t('command.criticalTitle')} onClose={() => setStep({ kind: 'edit' })}>
          <dl className="command-summary">
            <dt>{t('command.device')}</dt>
            <dd>{device}</dd>
            <dt>{t('command.point')}</dt>
            <dd>
              <code>{step.point.key}</code> {step.point.name}
            </dd>
            <dt>{t('command.oldValue')}</dt>
            <dd>{withUnit(currentValue(step.point.key) ?? undefined)}</dd>
            <dt>{t('command.newValue')}</dt>
            <dd className="command-new">{withUnit(step.value)}</dd>
          </dl>
          {step.kind === 'critical' ? <p className="alert alert-warn">{t('command.criticalWarning')}</p> : null}
          <div className="form-actions">
            <button
              type="button"
              className={step.kind === 'critical' ? 'button button-danger' : 'button button-primary'}
              disabled={busy}
              onClick={() => (step.kind === 'confirm' ? confirmFirst(step) : void send(step.point, step.value))}
            >
              {step.kind === 'confirm' ? t('command.confirm') : t('command.confirmCritical')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setStep({ kind: 'edit' })}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      ) : null}

      <DataTable
        caption={t('command.history')}
        count={t('command.historyCount', { count: history.data?.length ?? 0 })}
        rows={history.data ?? []}
        rowKey={(c) => c.id}
        busy={history.loading}
        empty={t('command.historyEmpty')}
        columns={[
          { key: 'time', header: t('command.time'), className: 'nowrap', cell: (c) => format.time(Date.parse(c.createdAt)) },
          { key: 'point', header: t('command.point'), cell: (c) => <code>{c.point}</code> },
          { key: 'value', header: t('command.value'), className: 'numeric', cell: (c) => show(c.value) },
          { key: 'status', header: t('command.status'), cell: (c) => <span className={statusLook[c.status].className}>{t(statusLook[c.status].label)}</span> },
          { key: 'readBack', header: t('command.readBack'), className: 'numeric', cell: (c) => show(c.readBack) },
          { key: 'by', header: t('command.by'), cell: (c) => c.requestedBy },
        ]}
      />
    </section>
  );
}

/** A refused command: the error, with the range for VALUE_OUT_OF_RANGE. */
function CommandError({ error }: { error: unknown }) {
  const { t } = useI18n();
  const details = error instanceof ApiError && error.code === 'VALUE_OUT_OF_RANGE' ? error.details : undefined;
  return (
    <>
      <ErrorAlert error={error} />
      {details ? (
        <p className="muted">
          {t('command.range', { range: rangeText({ min: details['min'] as number | undefined, max: details['max'] as number | undefined, unit: String(details['unit'] ?? '') }) })}
        </p>
      ) : null}
    </>
  );
}

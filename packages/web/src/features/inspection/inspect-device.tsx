import { inspectionResultAbnormal, type InspectionItem } from '@yulian/contracts';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import type { InspectionCheckIn, InspectionRecord, InspectionSubmitInput, InspectionTask } from './inspection-api';
import { currentPosition, decodeQrPhoto, identifierOfScan } from './qr-scan';
import { useInspectionApi } from './use-inspection-api';

type Step = { kind: 'scan' } | { kind: 'form'; checkIn: InspectionCheckIn } | { kind: 'result'; record: InspectionRecord };
/** What the user entered for an item: OK/NOK, or the measured value as typed. */
type Entry = { ok?: boolean; value?: string };

/** One item of the form: OK/NOK (or normal/abnormal) buttons, or a number checked against the range as it is typed. */
function ItemInput({ item, entry, onChange }: { item: InspectionItem; entry: Entry; onChange: (e: Entry) => void }) {
  const { t } = useI18n();
  if (item.kind === 'measured') {
    const value = entry.value === undefined || entry.value.trim() === '' ? undefined : Number(entry.value);
    const out = value !== undefined && Number.isFinite(value) && inspectionResultAbnormal(item, { value });
    const range = `${item.min ?? '−∞'} – ${item.max ?? '∞'}${item.unit ? ` ${item.unit}` : ''}`;
    return (
      <Field label={`${item.name}${item.unit ? ` (${item.unit})` : ''}`} hint={t('inspection.range', { range })} {...(out ? { error: t('inspection.outOfRange', { range }) } : {})}>
        {(control) => <input {...control} type="number" inputMode="decimal" step="any" required={item.required} value={entry.value ?? ''} onChange={(e) => onChange({ value: e.target.value })} />}
      </Field>
    );
  }
  const [yes, no] = item.kind === 'ok_nok' ? [t('inspection.ok'), t('inspection.nok')] : [t('inspection.normal'), t('inspection.abnormal')];
  return (
    <fieldset className="inspect-choice">
      <legend>{item.name}</legend>
      {item.instructions ? <p className="inspect-meta">{item.instructions}</p> : null}
      <label>
        <input type="radio" name={item.key} checked={entry.ok === true} onChange={() => onChange({ ok: true })} required={item.required} /> {yes}
      </label>
      <label>
        <input type="radio" name={item.key} checked={entry.ok === false} onChange={() => onChange({ ok: false })} /> {no}
      </label>
    </fieldset>
  );
}

/** Inspecting one device of a round: scan, check in with the position, fill the items, submit. */
export function InspectDevice({ task, device, onDone, onCancel }: { task: InspectionTask; device: InspectionTask['devices'][number]; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const api = useInspectionApi();
  const [step, setStep] = useState<Step>({ kind: 'scan' });
  const [scanned, setScanned] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [note, setNote] = useState('');

  /** Checks the scanned code against the device, then checks in with the phone's position. */
  async function checkIn(text: string) {
    setProblem(undefined);
    setError(undefined);
    setScanned(text);
    setBusy(true);
    try {
      // A quick check on the phone; the server checks again. An identifier service still starting skips it.
      const expected = await api.deviceIdentifier(device.device).catch(() => undefined);
      if (expected?.identifier && identifierOfScan(text).toLowerCase() !== expected.identifier.toLowerCase() && !identifierOfScan(text).toLowerCase().startsWith('urn:uuid:')) {
        setProblem(t('inspection.wrongDevice', { name: device.name }));
        return;
      }
      const position = await currentPosition();
      const result = await api.checkIn(task.id, position.ok ? { device: device.device, scanned: text, position: { lat: position.lat, lon: position.lon, accuracy: position.accuracy } } : { device: device.device, scanned: text, position: null, positionError: position.reason.slice(0, 200) });
      setStep({ kind: 'form', checkIn: result });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function onPhoto(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setProblem(undefined);
    setBusy(true);
    const text = await decodeQrPhoto(file).catch(() => undefined);
    setBusy(false);
    if (!text) {
      setProblem(t('inspection.noCode'));
      return;
    }
    await checkIn(text);
  }

  async function onSubmit(e: FormEvent, checked: InspectionCheckIn) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const results = checked.standard.items.flatMap((item): InspectionSubmitInput['results'] => {
        const entry = entries[item.key];
        if (item.kind === 'measured') return entry?.value !== undefined && entry.value.trim() !== '' ? [{ key: item.key, value: Number(entry.value) }] : [];
        return entry?.ok === undefined ? [] : [{ key: item.key, ok: entry.ok }];
      });
      setStep({ kind: 'result', record: await api.submit(checked.record.id, { results, ...(note ? { note } : {}) }) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="inspect-device-title" className="inspect-step">
      <h2 id="inspect-device-title">{device.name}</h2>
      {step.kind === 'scan' ? (
        <>
          <p>{t('inspection.scanIntro')}</p>
          <label className="button button-primary inspect-camera">
            {t('inspection.scan')}
            <input type="file" accept="image/*" capture="environment" onChange={(e) => void onPhoto(e)} disabled={busy} aria-label={t('inspection.scan')} />
          </label>
          <form
            className="inspect-typed"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed.trim()) void checkIn(typed.trim());
            }}
          >
            <Field label={t('inspection.typed')} hint={t('inspection.typedHint')}>
              {(control) => <input {...control} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />}
            </Field>
            <button type="submit" className="button button-secondary" disabled={busy || !typed.trim()}>
              {t('inspection.checkIn')}
            </button>
          </form>
          {busy ? <p role="status">{t('inspection.checkingIn')}</p> : null}
          {scanned ? <p className="inspect-meta inspect-scanned">{t('inspection.scanned', { code: identifierOfScan(scanned) })}</p> : null}
          {problem ? (
            <div className="alert alert-error" role="alert">
              <p className="alert-headline">{problem}</p>
            </div>
          ) : null}
          {error ? <ErrorAlert error={error} {...(scanned ? { onRetry: () => void checkIn(scanned), retryLabel: t('inspection.retryCheckIn') } : {})} /> : null}
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </>
      ) : null}
      {step.kind === 'form' ? (
        <form onSubmit={(e) => void onSubmit(e, step.checkIn)} aria-label={t('inspection.items')}>
          <p className="inspect-meta">{step.checkIn.record.distanceMeters !== null ? t('inspection.checkedIn', { distance: step.checkIn.record.distanceMeters }) : t(`inspection.position.${step.checkIn.record.position}`)}</p>
          {step.checkIn.standard.items.map((item) => (
            <ItemInput key={item.key} item={item} entry={entries[item.key] ?? {}} onChange={(entry) => setEntries((old) => ({ ...old, [item.key]: entry }))} />
          ))}
          <Field label={t('inspection.note')}>{(control) => <textarea {...control} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />}</Field>
          {error ? <ErrorAlert error={error} /> : null}
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('inspection.submit')}
          </button>
        </form>
      ) : null}
      {step.kind === 'result' ? (
        <div role="status" className="inspect-result">
          <p className="alert-headline">{step.record.abnormal ? t('inspection.submittedAbnormal') : t('inspection.submittedNormal')}</p>
          {step.record.workOrder ? (
            <p>
              <Link to="/maintenance/orders/:id" params={{ id: step.record.workOrder }}>
                {t('inspection.workOrderOpened')}
              </Link>
            </p>
          ) : null}
          <button type="button" className="button button-primary" onClick={onDone}>
            {t('inspection.nextDevice')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import type { Incident, IncidentKind, IncidentsApi } from './incidents-api';

const severities = ['critical', 'high', 'medium', 'low'] as const;

/** 新建事件 (by hand) or 开始演练 (a drill from a plan: the plan is required, the title optional). */
export function NewIncidentForm({ incidents, kind, onCancel, onCreated }: { incidents: IncidentsApi; kind: IncidentKind; onCancel: () => void; onCreated: (incident: Incident) => void }) {
  const { t } = useI18n();
  const plans = useResource((signal) => incidents.plans({ signal }), [incidents]);
  const drill = kind === 'drill';
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<(typeof severities)[number]>(drill ? 'medium' : 'high');
  const [planId, setPlanId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const usable = (plans.data ?? []).filter((p) => p.kinds.length === 0 || p.kinds.includes(kind));
  const ready = drill ? planId !== '' : title.trim() !== '';

  return (
    <form
      className="panel form"
      aria-label={t(drill ? 'incidents.startDrill' : 'incidents.new')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        incidents
          .create({ kind, severity, ...(title.trim() ? { title: title.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}), ...(planId ? { planId } : {}) })
          .then(onCreated, (cause: unknown) => setError(cause))
          .finally(() => setBusy(false));
      }}
    >
      <h2 className="panel-title">{t(drill ? 'incidents.startDrill' : 'incidents.new')}</h2>
      {drill ? <p className="muted">{t('incidents.drillIntro')}</p> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <Field label={t('incidents.plan')} {...(drill ? {} : { hint: t('incidents.planOptional') })}>
        {(c) => (
          <select {...c} required={drill} value={planId} onChange={(e) => setPlanId(e.target.value)}>
            <option value="">{t('incidents.choosePlan')}</option>
            {usable.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('incidents.incidentTitle')} {...(drill ? { hint: t('incidents.drillTitleHint') } : {})}>
        {(c) => <input {...c} required={!drill} maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('incidents.severity')}>
        {(c) => (
          <select {...c} value={severity} onChange={(e) => setSeverity(e.target.value as (typeof severities)[number])}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {t(`incidents.severity.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('incidents.description')}>{(c) => <textarea {...c} rows={3} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || !ready}>
          {t(drill ? 'incidents.startDrill' : 'incidents.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

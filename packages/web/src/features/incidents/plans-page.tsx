import type { Role } from '@yulian/contracts';
import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { IncidentsApi, ResponsePlan } from './incidents-api';
import { incidentSections } from './incidents-page';
import { useIncidentsApi } from './use-incidents-api';
import './incidents.css';

const stepRoles: readonly Role[] = ['security-analyst', 'enterprise-admin', 'engineer', 'operator'];
type StepDraft = { title: string; role: Role; dueMinutes: string };
const blankStep = (): StepDraft => ({ title: '', role: 'security-analyst', dueMinutes: '30' });

/** 新建预案: name, the ATT&CK techniques it answers, and its steps (title, role, due minutes). */
function NewPlanForm({ incidents, onCancel, onCreated }: { incidents: IncidentsApi; onCancel: () => void; onCreated: (plan: ResponsePlan) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [techniques, setTechniques] = useState('');
  const [steps, setSteps] = useState<StepDraft[]>([blankStep()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const setStep = (i: number, patch: Partial<StepDraft>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const ready = name.trim() !== '' && steps.length > 0 && steps.every((s) => s.title.trim() !== '' && Number(s.dueMinutes) >= 1);
  return (
    <form
      className="panel form"
      aria-label={t('plans.new')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        incidents
          .createPlan({
            name: name.trim(),
            nameEn: nameEn.trim(),
            techniques: techniques.split(/[\s,，、]+/).map((s) => s.trim().toUpperCase()).filter(Boolean),
            steps: steps.map((s) => ({ title: s.title.trim(), role: s.role, dueMinutes: Math.round(Number(s.dueMinutes)) })),
          })
          .then(onCreated, (cause: unknown) => setError(cause))
          .finally(() => setBusy(false));
      }}
    >
      <h2 className="panel-title">{t('plans.new')}</h2>
      {error ? <ErrorAlert error={error} /> : null}
      <Field label={t('plans.name')}>{(c) => <input {...c} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Field label={t('plans.nameEn')}>{(c) => <input {...c} maxLength={200} value={nameEn} onChange={(e) => setNameEn(e.target.value)} />}</Field>
      <Field label={t('plans.techniques')} hint={t('plans.techniquesHint')}>{(c) => <input {...c} value={techniques} onChange={(e) => setTechniques(e.target.value)} />}</Field>
      <fieldset className="plan-steps">
        <legend>{t('plans.steps')}</legend>
        {steps.map((s, i) => (
          <div key={i} className="plan-step" role="group" aria-label={t('plans.stepN', { n: String(i + 1) })}>
            <Field label={t('plans.stepTitle')}>{(c) => <input {...c} required maxLength={200} value={s.title} onChange={(e) => setStep(i, { title: e.target.value })} />}</Field>
            <Field label={t('plans.stepRole')}>
              {(c) => (
                <select {...c} value={s.role} onChange={(e) => setStep(i, { role: e.target.value as Role })}>
                  {stepRoles.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('plans.stepDue')}>{(c) => <input {...c} type="number" min={1} required value={s.dueMinutes} onChange={(e) => setStep(i, { dueMinutes: e.target.value })} />}</Field>
            <button type="button" className="button button-small" disabled={steps.length === 1} onClick={() => setSteps(steps.filter((_, j) => j !== i))}>
              {t('plans.removeStep')}
            </button>
          </div>
        ))}
        <button type="button" className="button button-small" onClick={() => setSteps([...steps, blankStep()])}>
          {t('plans.addStep')}
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || !ready}>
          {t('plans.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** 应急预案: the built-in plans and the enterprise's own, each with its steps; writers add and delete their own. */
export function PlansPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const incidents = useIncidentsApi();
  const writer = can(me.role, 'incidents.write');
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const plans = useResource((signal) => incidents.plans({ signal }), [incidents, version]);
  const done = (message: string) => {
    setStatus(message);
    setVersion((v) => v + 1);
  };

  return (
    <>
      <PageHeader
        title={t('plans.title')}
        intro={t('plans.intro')}
        actions={
          writer && !creating ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              {t('plans.new')}
            </button>
          ) : null
        }
      />
      <SectionTabs label="incidents.sections" sections={incidentSections} />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {plans.error ? <ErrorAlert error={plans.error} onRetry={plans.reload} /> : null}
      {creating ? (
        <NewPlanForm
          incidents={incidents}
          onCancel={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            done(t('plans.created', { name: p.name }));
          }}
        />
      ) : null}
      {(plans.data ?? []).map((p) => (
        <section key={p.id} className="panel" aria-label={p.name}>
          <h2 className="panel-title">
            {lang === 'en' && p.nameEn ? p.nameEn : p.name} {p.builtin ? <span className="badge">{t('plans.builtin')}</span> : null}
          </h2>
          {p.description ? <p className="muted">{p.description}</p> : null}
          <p className="muted">
            {t('plans.techniques')}: {p.techniques.join(', ') || t('plans.anyTechnique')}
          </p>
          <ol className="plan-step-list">
            {p.steps.map((s, i) => (
              <li key={i}>
                {lang === 'en' && s.titleEn ? s.titleEn : s.title} <span className="muted">· {t(`role.${s.role}`)} · {t('plans.dueIn', { minutes: String(s.dueMinutes) })}</span>
              </li>
            ))}
          </ol>
          {writer && !p.builtin ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setError(undefined);
                incidents.removePlan(p.id).then(() => done(t('plans.deleted', { name: p.name })), (cause: unknown) => setError(cause));
              }}
            >
              {t('plans.delete')}
            </button>
          ) : null}
        </section>
      ))}
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import type { AlarmApi } from './alarm-api';
import { severityLabel } from './alarm-format';
import { severities, type AlarmRule } from './alarm-types';
import { ConditionFields } from './condition-fields';
import { positionOf } from './expression-position';
import { emptyRuleForm, ruleBodyOf, ruleFormOf, type ConditionForm, type LocalProblem, type RuleForm } from './rule-form';
import type { RuleTrial } from './alarm-types';

/** Props of {@link RuleFormDialog}: a new rule, or an edit of `rule`. */
export interface RuleFormDialogProps {
  alarms: AlarmApi;
  rule?: AlarmRule | undefined;
  /** The devices to choose from (ids); the rule may also watch every device. */
  devices: readonly string[];
  /** The enterprise's device profiles: a rule may watch every device of one. */
  profiles: ReadonlyArray<{ id: string; name: string }>;
  onSaved: (rule: AlarmRule) => void;
  onClose: () => void;
}

const localText: Record<LocalProblem, MessageKey> = {
  required: 'alarms.problem.required',
  number: 'alarms.problem.number',
  positive: 'alarms.problem.positive',
  nonNegative: 'alarms.problem.nonNegative',
  wholeSeconds: 'alarms.problem.wholeSeconds',
  minAboveMax: 'alarms.problem.minAboveMax',
  deviceOrProfile: 'alarms.problem.deviceOrProfile',
};

/** The fields this form has a control for; a server problem at another field shows above the form. */
const placedFields = new Set(['name', 'profile', 'forSeconds', 'escalation', 'escalation.afterMinutes', ...['kind', 'point', 'value', 'deadband', 'min', 'max', 'perSeconds', 'seconds', 'expression'].map((f) => `condition.${f}`)]);

/** A server refusal of one field: its message and, in an expression, the position. */
interface ServerProblem {
  field: string;
  message: string;
  position?: number | undefined;
}

/** The `ALARM_RULE_INVALID` refusal of an API error, or undefined for any other error. */
function serverProblemOf(cause: unknown): ServerProblem | undefined {
  if (!(cause instanceof ApiError) || cause.code !== 'ALARM_RULE_INVALID') return undefined;
  const field = typeof cause.details?.['field'] === 'string' ? cause.details['field'] : '';
  // The server's message starts with the field ("condition.expression: …"), which the form already shows.
  const message = field && cause.message.startsWith(`${field}: `) ? cause.message.slice(field.length + 2) : cause.message;
  return { field, message, position: positionOf(cause.details) };
}

/**
 * 新建规则 / 编辑规则: name, severity, the device (or every device), the condition of a kind and how long
 * it must hold. Numbers are checked here; the server checks the rule as its engine will run it, and its
 * refusal is shown at the field — an expression's with the character where it goes wrong marked.
 */
export function RuleFormDialog({ alarms, rule, devices, profiles, onSaved, onClose }: RuleFormDialogProps) {
  const { t } = useI18n();
  const [form, setForm] = useState<RuleForm>(() => (rule ? ruleFormOf(rule) : emptyRuleForm()));
  const [local, setLocal] = useState<Partial<Record<string, LocalProblem>>>({});
  const [server, setServer] = useState<ServerProblem>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // 试运行: the rule replayed over a device's last 7 days, before it is saved.
  const [trialDevice, setTrialDevice] = useState(() => rule?.device ?? devices[0] ?? '');
  const [trial, setTrial] = useState<{ device: string; result: RuleTrial } | { error: unknown } | undefined>();

  const tryIt = async () => {
    setTrial(undefined);
    const result = ruleBodyOf(form);
    if (!result.ok) return setLocal(result.problems);
    const device = form.device || trialDevice;
    try {
      setTrial({ device, result: await alarms.tryRule(result.body, device) });
    } catch (cause) {
      const problem = serverProblemOf(cause);
      if (problem && placedFields.has(problem.field)) setServer(problem);
      else setTrial({ error: cause });
    }
  };

  const errorOf = (field: string): string | undefined => {
    const problem = local[field];
    if (problem) return t(localText[problem]);
    if (server?.field === field) return server.position === undefined ? t('alarms.problem.server', { message: server.message }) : t('alarms.problem.serverAt', { message: server.message, position: server.position + 1 });
    return undefined;
  };
  const change = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const changeCondition = (patch: Partial<ConditionForm>) => {
    setServer(undefined);
    // A new kind drops every condition problem; an edit drops only those of the fields it touched.
    const touched = 'kind' in patch ? undefined : Object.keys(patch).map((p) => `condition.${p}`);
    setLocal((l) => Object.fromEntries(Object.entries(l).filter(([k]) => (touched ? !touched.includes(k) : !k.startsWith('condition.')))));
    setForm((f) => ({ ...f, condition: { ...f.condition, ...patch } }));
  };
  const focusFirstProblem = (formElement: HTMLFormElement) => {
    requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    setError(undefined);
    setServer(undefined);
    const result = ruleBodyOf(form);
    if (!result.ok) {
      setLocal(result.problems);
      return focusFirstProblem(formElement);
    }
    setLocal({});
    setBusy(true);
    try {
      onSaved(rule ? await alarms.updateRule(rule.id, result.body) : await alarms.createRule(result.body));
    } catch (cause) {
      const problem = serverProblemOf(cause);
      if (problem && placedFields.has(problem.field)) {
        setServer(problem);
        focusFirstProblem(formElement);
      } else setError(cause);
      setBusy(false);
    }
  };

  const deviceChoices = form.device && !devices.includes(form.device) ? [form.device, ...devices] : devices;
  return (
    <Dialog title={rule ? t('alarms.editRuleTitle', { name: rule.name }) : t('alarms.newRuleTitle')} onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-grid">
          <Field label={`${t('alarms.ruleName')} *`} error={errorOf('name')}>
            {(control) => (
              <input
                {...control}
                name="name"
                maxLength={200}
                autoComplete="off"
                value={form.name}
                onChange={(e) => {
                  setLocal(({ name: _dropped, ...rest }) => rest);
                  change({ name: e.target.value });
                }}
              />
            )}
          </Field>
          <Field label={t('alarms.severity')}>
            {(control) => (
              <select {...control} name="severity" value={form.severity} onChange={(e) => change({ severity: severities.find((s) => s === e.target.value) ?? 'major' })}>
                {severities.map((s) => (
                  <option key={s} value={s}>
                    {t(severityLabel[s])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('alarms.device')} hint={t('alarms.deviceHint')}>
            {(control) => (
              <select {...control} name="device" value={form.device} onChange={(e) => change({ device: e.target.value })}>
                <option value="">{t('alarms.allDevices')}</option>
                {deviceChoices.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('alarms.profile')} hint={t('alarms.profileHint')} error={errorOf('profile')}>
            {(control) => (
              <select {...control} name="profile" value={form.profile} onChange={(e) => change({ profile: e.target.value })}>
                <option value="">{t('alarms.anyProfile')}</option>
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('alarms.forSeconds')} hint={t('alarms.forSecondsHint')} error={errorOf('forSeconds')}>
            {(control) => (
              <input
                {...control}
                name="forSeconds"
                inputMode="numeric"
                autoComplete="off"
                value={form.forSeconds}
                onChange={(e) => {
                  setLocal(({ forSeconds: _dropped, ...rest }) => rest);
                  change({ forSeconds: e.target.value });
                }}
              />
            )}
          </Field>
          <label className="checkbox-field">
            <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
            {t('alarms.enabled')}
          </label>
        </div>
        <fieldset className="alarm-condition">
          <legend>{t('alarms.escalation')}</legend>
          <div className="form-grid">
            <Field label={t('alarms.escalateMinutes')} hint={t('alarms.escalateMinutesHint')} error={errorOf('escalation.afterMinutes')}>
              {(control) => (
                <input
                  {...control}
                  name="escalateMinutes"
                  inputMode="decimal"
                  autoComplete="off"
                  value={form.escalateMinutes}
                  onChange={(e) => {
                    setLocal(({ 'escalation.afterMinutes': _dropped, ...rest }) => rest);
                    change({ escalateMinutes: e.target.value });
                  }}
                />
              )}
            </Field>
            <Field label={t('alarms.escalateRoles')} hint={t('alarms.escalateRolesHint')} error={errorOf('escalation')}>
              {(control) => (
                <input
                  {...control}
                  name="escalateRoles"
                  autoComplete="off"
                  value={form.escalateRoles}
                  onChange={(e) => {
                    setLocal(({ escalation: _dropped, ...rest }) => rest);
                    change({ escalateRoles: e.target.value });
                  }}
                />
              )}
            </Field>
            <Field label={t('alarms.escalateUsers')} hint={t('alarms.escalateUsersHint')}>
              {(control) => (
                <input
                  {...control}
                  name="escalateUsers"
                  autoComplete="off"
                  value={form.escalateUsers}
                  onChange={(e) => {
                    setLocal(({ escalation: _dropped, ...rest }) => rest);
                    change({ escalateUsers: e.target.value });
                  }}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset className="alarm-condition">
          <legend>{t('alarms.condition')}</legend>
          <div className="form-grid">
            <ConditionFields form={form.condition} onChange={changeCondition} errorOf={errorOf} position={server?.field === 'condition.expression' ? server.position : undefined} />
          </div>
        </fieldset>
        <div className="alarm-trial">
          {form.device ? null : (
            <Field label={t('alarms.trialDevice')}>
              {(control) => (
                <select {...control} name="trialDevice" value={trialDevice} onChange={(e) => setTrialDevice(e.target.value)}>
                  {devices.map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <button type="button" className="button button-secondary" onClick={() => void tryIt()} disabled={!(form.device || trialDevice)}>
            {t('alarms.tryRule')}
          </button>
          {trial && 'result' in trial ? (
            <p role="status" data-testid="rule-trial">
              {t('alarms.trialResult', { device: trial.device, raises: trial.result.raises, samples: trial.result.samples })}
              {trial.result.activeAtEnd ? ` ${t('alarms.trialActive')}` : ''}
            </p>
          ) : null}
          {trial && 'error' in trial ? <ErrorAlert error={trial.error} /> : null}
        </div>
        <FormActions submitLabel={rule ? t('alarms.saveRule') : t('alarms.createRule')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

import { useId, useState, type FormEvent } from 'react';
import type { PrefixAllocationDto } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import type { IdentifierApi } from './identifier-api';
import { type ApplyField, type ApplyProblem, type ApplyValues, applicationBody, blankApplication, checkApplication, fieldOfError } from './prefix-form';

/**
 * 申请企业前缀: the enterprise's real-name data (organisation, unified social credit code, contact), an
 * optional code for 88.100.<code>, and the address of its own identifier node when it runs one.
 */
export function PrefixApplyForm({ ids, onApplied }: { ids: IdentifierApi; onApplied: (prefix: PrefixAllocationDto) => void }) {
  const { t } = useI18n();
  const headingId = useId();
  const [values, setValues] = useState<ApplyValues>(blankApplication);
  const [problems, setProblems] = useState<Partial<Record<ApplyField, ApplyProblem>>>({});
  const [serverField, setServerField] = useState<{ field: ApplyField; message: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const set = (field: keyof ApplyValues) => (e: { target: { value: string } }) => {
    setProblems(({ [field as ApplyField]: _dropped, ...rest }) => rest);
    if (serverField?.field === field) setServerField(undefined);
    setValues((v) => ({ ...v, [field]: e.target.value }));
  };
  const message = (field: ApplyField): string | undefined => {
    const p = problems[field];
    if (p) return t(`identifiers.applyProblem.${p}`);
    return serverField?.field === field ? serverField.message : undefined;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const found = checkApplication(values);
    setProblems(found);
    setServerField(undefined);
    setError(undefined);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const answer = await ids.applyPrefix(applicationBody(values));
      setValues(blankApplication);
      onApplied(answer);
    } catch (cause) {
      const field = fieldOfError(cause);
      setError(cause);
      if (field) setServerField({ field, message: t(field === 'creditCode' ? 'identifiers.applyProblem.creditCode' : 'identifiers.applyProblem.server') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" aria-labelledby={headingId} onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="panel-title" id={headingId}>
        {t('identifiers.applyTitle')}
      </h2>
      <p className="muted">{t('identifiers.applyHelp')}</p>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-grid">
        <Field label={`${t('identifiers.orgName')} *`} error={message('orgName')}>
          {(control) => <input {...control} name="orgName" maxLength={200} value={values.orgName} onChange={set('orgName')} />}
        </Field>
        <Field label={`${t('identifiers.creditCode')} *`} hint={t('identifiers.creditCodeHint')} error={message('creditCode')}>
          {(control) => (
            <input {...control} name="creditCode" className="input-mono" maxLength={18} autoComplete="off" spellCheck={false} value={values.creditCode} onChange={set('creditCode')} />
          )}
        </Field>
        <Field label={`${t('identifiers.contact')} *`} hint={t('identifiers.contactHint')} error={message('contact')}>
          {(control) => <input {...control} name="contact" maxLength={200} value={values.contact} onChange={set('contact')} />}
        </Field>
        <Field label={t('identifiers.requestedCode')} hint={t('identifiers.requestedCodeHint')} error={message('code')}>
          {(control) => <input {...control} name="code" className="input-mono" maxLength={32} autoComplete="off" value={values.code} onChange={set('code')} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={values.ownNode} onChange={(e) => setValues((v) => ({ ...v, ownNode: e.target.checked }))} />
        <span>{t('identifiers.ownNode')}</span>
      </label>
      {values.ownNode ? (
        <div className="form-grid">
          <Field label={`${t('identifiers.nodeHost')} *`} hint={t('identifiers.nodeHostHint')} error={message('host')}>
            {(control) => <input {...control} name="host" className="input-mono" value={values.host} onChange={set('host')} />}
          </Field>
          <Field label={`${t('identifiers.nodePort')} *`} error={message('port')}>
            {(control) => <input {...control} name="port" inputMode="numeric" className="input-mono" value={values.port} onChange={set('port')} />}
          </Field>
        </div>
      ) : null}
      <FormActions submitLabel={t('identifiers.applySubmit')} busy={busy} />
    </form>
  );
}

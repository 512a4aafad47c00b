import { useId, useState, type FormEvent } from 'react';
import type { CreateEnterprise, Enterprise } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { chongqingDistricts, industrySuggestions } from './chongqing-districts';

/** Props of {@link EnterpriseForm}. */
export interface EnterpriseFormProps {
  /** Edit this enterprise; omit to create a new one. */
  initial?: Enterprise;
  /** Sends the form to the API; a rejection is shown next to the form. */
  onSubmit: (values: CreateEnterprise) => Promise<void>;
  onCancel?: () => void;
}

const emptyValues: CreateEnterprise = { name: '', code: '', district: '', industry: '' };

/** Create or edit an enterprise: name, code, district (a select of Chongqing's districts), industry. */
export function EnterpriseForm({ initial, onSubmit, onCancel }: EnterpriseFormProps) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<CreateEnterprise>(() =>
    initial ? { name: initial.name, code: initial.code, district: initial.district, industry: initial.industry } : emptyValues,
  );
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const industryListId = useId();
  const knownDistrict = chongqingDistricts.some((d) => d.name === values.district);

  const set = (field: keyof CreateEnterprise) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await onSubmit(values);
      if (!initial) setValues(emptyValues);
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={headingId}>
      <h2 className="panel-title" id={headingId}>
        {initial ? t('enterprises.editTitle', { name: initial.name }) : t('enterprises.createTitle')}
      </h2>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-grid">
        <Field label={t('enterprises.name')}>
          {(control) => <input {...control} name="name" required maxLength={200} value={values.name} onChange={set('name')} />}
        </Field>
        <Field label={t('enterprises.code')} hint={t('enterprises.codeHint')}>
          {(control) => (
            <input {...control} name="code" required minLength={2} maxLength={64} value={values.code} onChange={set('code')} />
          )}
        </Field>
        <Field label={t('enterprises.district')}>
          {(control) => (
            <select {...control} name="district" value={values.district} onChange={set('district')}>
              <option value="">{t('enterprises.districtChoose')}</option>
              {!knownDistrict && values.district ? <option value={values.district}>{values.district}</option> : null}
              {chongqingDistricts.map((d) => (
                <option key={d.name} value={d.name}>
                  {lang === 'en' ? `${d.en} (${d.name})` : d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('enterprises.industry')}>
          {(control) => (
            <>
              <input
                {...control}
                name="industry"
                maxLength={64}
                list={industryListId}
                value={values.industry}
                onChange={set('industry')}
              />
              <datalist id={industryListId}>
                {industrySuggestions.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? t('common.saving') : initial ? t('enterprises.editSubmit') : t('enterprises.createSubmit')}
        </button>
        {onCancel ? (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

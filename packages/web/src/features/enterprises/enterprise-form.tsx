import { useId, useState, type FormEvent } from 'react';
import type { CreateEnterprise, Enterprise, UpdateEnterprise } from '@yulian/contracts';
import { chongqingDistricts, isChongqingDistrict } from '@yulian/contracts/districts';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { checkAll, required, useFieldErrors, validEnterpriseCode } from '../../ui/form-validation';
import { industrySuggestions } from './chongqing-districts';
import { FormActions } from '../../ui/form-actions';

/**
 * Props of {@link EnterpriseForm}: without `initial` it creates an enterprise; with it, it edits that
 * one and hands `onSubmit` only the fields that changed, so a district stored before the list was
 * enforced does not block other changes. A rejection of `onSubmit` is shown next to the form.
 */
export type EnterpriseFormProps =
  | { initial?: undefined; onSubmit: (values: CreateEnterprise) => Promise<void>; onCancel?: () => void }
  | { initial: Enterprise; onSubmit: (patch: UpdateEnterprise) => Promise<void>; onCancel?: () => void };

type Values = Required<Pick<CreateEnterprise, 'name' | 'code' | 'district' | 'industry'>>;
type FieldName = keyof Values;

const emptyValues: Values = { name: '', code: '', district: '', industry: '' };

/** The trimmed values; the code in capitals, as the server stores it. */
const normalise = (v: Values): Values => ({
  name: v.name.trim(),
  code: v.code.trim().toUpperCase(),
  district: v.district,
  industry: v.industry.trim(),
});

/** The fields of `values` that differ from `initial`. */
function changedFields(values: Values, initial: Values): UpdateEnterprise {
  const patch: UpdateEnterprise = {};
  for (const field of Object.keys(values) as FieldName[]) {
    if (values[field] !== initial[field]) patch[field] = values[field];
  }
  return patch;
}

/** Create or edit an enterprise: name, code, district (a select of Chongqing's districts), industry. */
export function EnterpriseForm(props: EnterpriseFormProps) {
  const { initial, onCancel } = props;
  const { t, lang } = useI18n();
  const initialValues: Values = initial
    ? { name: initial.name, code: initial.code, district: initial.district, industry: initial.industry }
    : emptyValues;
  const [values, setValues] = useState<Values>(initialValues);
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const { errors, accept, clear } = useFieldErrors<FieldName>();
  const headingId = useId();
  const industryListId = useId();
  const knownDistrict = isChongqingDistrict(values.district);

  const set = (field: FieldName) => (e: { target: { value: string } }) => {
    clear(field);
    setValues((v) => ({ ...v, [field]: e.target.value }));
  };
  const message = (field: FieldName) => (errors[field] ? t(errors[field]) : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkAll<FieldName>({
      name: required(values.name),
      code: validEnterpriseCode(values.code),
      // A district stored before the list was enforced may stay as it is, but cannot be chosen anew.
      district:
        values.district === '' || knownDistrict || values.district === initialValues.district ? undefined : 'validation.district',
    });
    if (!accept(event.currentTarget, found)) return;
    setSaving(true);
    setError(undefined);
    try {
      const clean = normalise(values);
      if (props.initial) {
        await props.onSubmit(changedFields(clean, normalise(initialValues)));
      } else {
        await props.onSubmit(clean);
        setValues(emptyValues);
      }
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h2 className="panel-title" id={headingId}>
        {initial ? t('enterprises.editTitle', { name: initial.name }) : t('enterprises.createTitle')}
      </h2>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-grid">
        <Field label={t('enterprises.name')} error={message('name')}>
          {(control) => <input {...control} name="name" required maxLength={200} value={values.name} onChange={set('name')} />}
        </Field>
        <Field label={t('enterprises.code')} hint={t('enterprises.codeHint')} error={message('code')}>
          {(control) => (
            <input
              {...control}
              className="input-code"
              name="code"
              required
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              value={values.code}
              onChange={set('code')}
            />
          )}
        </Field>
        <Field label={t('enterprises.district')} error={message('district')}>
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
      <FormActions submitLabel={initial ? t('enterprises.editSubmit') : t('enterprises.createSubmit')} busy={saving} onCancel={onCancel} />
    </form>
  );
}

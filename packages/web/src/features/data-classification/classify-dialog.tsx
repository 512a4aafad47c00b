import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { needsReason } from './classify-rules';
import type { Catalogue, PointClassification, PutClassification } from './data-classification-api';


/**
 * The override dialog of a point: category and level, and a reason required whenever they differ from
 * the default (the server refuses them without one too).
 */
export function ClassifyDialog(props: { point: PointClassification; catalogue: Catalogue; onSave: (body: PutClassification) => Promise<void>; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { point, catalogue } = props;
  const [category, setCategory] = useState(point.category);
  const [level, setLevel] = useState<1 | 2 | 3>(point.level);
  const [reason, setReason] = useState(point.reason ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const required = needsReason(point, { category, level });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (required && !reason.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.onSave({ category, level, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      props.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('dc.classifyTitle', { point: point.point })} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>{t('dc.defaultIs', { category: categoryName(catalogue, point.defaultCategory, lang), level: String(point.defaultLevel) })}</p>
        <Field label={t('dc.category')}>
          {(control) => (
            <select {...control} value={category} onChange={(e) => setCategory(e.target.value as typeof category)}>
              {catalogue.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {lang === 'en' ? c.en : c.zh}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dc.level')}>
          {(control) => (
            <select {...control} value={level} onChange={(e) => setLevel(Number(e.target.value) as 1 | 2 | 3)}>
              {([1, 2, 3] as const).map((l) => (
                <option key={l} value={l}>
                  {t(`dc.level.${l}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={required ? t('dc.reasonRequired') : t('dc.reason')} hint={t('dc.reasonHint')} {...(missing && required && !reason.trim() ? { error: t('dc.reasonMissing') } : {})}>
          {(control) => <textarea {...control} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        {level === 3 ? <p className="alert alert-info">{t('dc.level3Note')}</p> : null}
        {error ? <ErrorAlert error={error} /> : null}
        <FormActions submitLabel={t('dc.save')} busy={busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

/** A category's name in the interface language (the code when unknown). */
export function categoryName(catalogue: Catalogue | undefined, code: string, lang: string): string {
  const c = catalogue?.categories.find((x) => x.code === code);
  return c ? (lang === 'en' ? c.en : c.zh) : code;
}

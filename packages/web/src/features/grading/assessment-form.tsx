import { useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { StatusMessage } from '../../ui/status-message';
import type { Assessment, AssessmentAnswer, GradingApi, Questionnaire } from './grading-api';
import { previewScore, textOf } from './grading-format';

/** The questionnaire of an open self-assessment: a choice and evidence per item, live score, save and submit. */
export function AssessmentForm({ api, assessment, questionnaire, onChanged }: { api: GradingApi; assessment: Assessment; questionnaire: Questionnaire; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [answers, setAnswers] = useState<Record<string, AssessmentAnswer>>(assessment.answers);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const editable = assessment.status === 'draft' || assessment.status === 'returned';
  const preview = previewScore(questionnaire, answers);
  const set = (item: string, change: Partial<AssessmentAnswer>) => setAnswers((a) => ({ ...a, [item]: { option: a[item]?.option ?? '', evidence: a[item]?.evidence ?? '', ...change } }));

  const run = async (submit: boolean) => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      const chosen = Object.fromEntries(Object.entries(answers).filter(([, a]) => a.option));
      await api.saveAnswers(assessment.id, chosen);
      if (submit) await api.submit(assessment.id);
      setStatus(t(submit ? 'grading.submitted' : 'grading.saved'));
      onChanged();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form grading-form" aria-label={textOf(lang, questionnaire)} onSubmit={(e) => e.preventDefault()}>
      <h2>{textOf(lang, questionnaire)}</h2>
      <p>{t('grading.rubricNote', { version: questionnaire.version })}</p>
      {assessment.status === 'returned' && assessment.reviewComment ? <div className="alert alert-warning" role="note">{t('grading.returnedWith', { comment: assessment.reviewComment })}</div> : null}
      {questionnaire.sections.map((section) => (
        <fieldset key={section.id} className="grading-section">
          <legend>{textOf(lang, section)}</legend>
          {section.items.map((item) => (
            <div key={item.id} className="grading-item">
              <Field label={textOf(lang, item)} {...(item.hintZh && item.hintEn ? { hint: lang === 'en' ? item.hintEn : item.hintZh } : {})}>
                {(control) => (
                  <select {...control} disabled={!editable} value={answers[item.id]?.option ?? ''} onChange={(e) => set(item.id, { option: e.target.value })}>
                    <option value="">{t('grading.choose')}</option>
                    {item.options.map((o) => (
                      <option key={o.id} value={o.id}>
                        {t('grading.optionWithScore', { text: textOf(lang, o), score: o.score })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('grading.evidenceFor', { item: textOf(lang, item) })}>
                {(control) => <input {...control} disabled={!editable} maxLength={2000} value={answers[item.id]?.evidence ?? ''} onChange={(e) => set(item.id, { evidence: e.target.value })} />}
              </Field>
            </div>
          ))}
        </fieldset>
      ))}
      <p role="status" className="grading-score">
        {t('grading.scoreLine', { score: preview.score, max: questionnaire.maxScore, answered: preview.answered, total: preview.total })}{' '}
        {preview.level ? t('grading.proposedLevel', { level: preview.level }) : t('grading.noProposal')}
      </p>
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {editable ? (
        <div className="form-actions">
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(false)}>
            {t('grading.saveDraft')}
          </button>
          <button type="button" className="button button-primary" disabled={busy || preview.level === null} onClick={() => void run(true)}>
            {t('grading.submit')}
          </button>
        </div>
      ) : null}
    </form>
  );
}

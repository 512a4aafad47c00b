import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import type { Assessment, AssessmentReview, GradingApi, Questionnaire } from './grading-api';
import { textOf } from './grading-format';

type Decision = AssessmentReview['decision'];

/** The authority's review of a submitted self-assessment: its answers, then confirm, set another level or return. */
export function ReviewPanel({ api, assessment, questionnaire, onDone }: { api: GradingApi; assessment: Assessment; questionnaire: Questionnaire | undefined; onDone: (message: string) => void }) {
  const { t, lang } = useI18n();
  const [decision, setDecision] = useState<Decision>('confirm');
  const [level, setLevel] = useState<1 | 2 | 3>(assessment.proposedLevel ?? 1);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const needsText = decision !== 'confirm';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const review: AssessmentReview = decision === 'confirm' ? { decision, comment: text.trim() } : decision === 'set' ? { decision, level, reason: text.trim() } : { decision, comment: text.trim() };
      const { grade } = await api.review(assessment.id, review);
      onDone(decision === 'return' ? t('grading.returnedDone', { enterprise: assessment.enterpriseName }) : t('grading.confirmedDone', { enterprise: assessment.enterpriseName, level: grade.level ?? '' }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel grading-review" aria-label={t('grading.reviewOf', { enterprise: assessment.enterpriseName })}>
      <h2>{t('grading.reviewOf', { enterprise: assessment.enterpriseName })}</h2>
      <p>
        {t(`grading.kind.${assessment.kind}`)} · {t('grading.scoreOf', { score: assessment.score, max: assessment.maxScore })} · {t('grading.proposedLevel', { level: assessment.proposedLevel ?? '' })}
      </p>
      {questionnaire ? (
        <dl className="grading-answers">
          {questionnaire.sections
            .flatMap((s) => s.items)
            .map((item) => {
              const answer = assessment.answers[item.id];
              const option = item.options.find((o) => o.id === answer?.option);
              return (
                <div key={item.id}>
                  <dt>{textOf(lang, item)}</dt>
                  <dd>
                    {option ? t('grading.optionWithScore', { text: textOf(lang, option), score: option.score }) : t('common.none')}
                    {answer?.evidence ? ` — ${answer.evidence}` : ''}
                  </dd>
                </div>
              );
            })}
        </dl>
      ) : null}
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        <fieldset className="radio-group">
          <legend>{t('grading.decision')}</legend>
          {(['confirm', 'set', 'return'] as const).map((d) => (
            <label key={d}>
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} /> {t(`grading.decision.${d}`)}
            </label>
          ))}
        </fieldset>
        {decision === 'set' ? (
          <Field label={t('grading.level')}>
            {(control) => (
              <select {...control} value={level} onChange={(e) => setLevel(Number(e.target.value) as 1 | 2 | 3)}>
                {[1, 2, 3].map((l) => (
                  <option key={l} value={l}>
                    {t('grading.levelValue', { level: l })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label={decision === 'set' ? t('grading.reason') : t('grading.comment')}>
          {(control) => <textarea {...control} required={needsText} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <FormActions submitLabel={t('grading.decide')} busy={busy} disabled={needsText && !text.trim()} />
      </form>
    </section>
  );
}

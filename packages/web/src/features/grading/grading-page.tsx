import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { AssessmentForm } from './assessment-form';
import type { Assessment, EnterpriseGrade, EnterpriseKind, GradingApi, Questionnaire } from './grading-api';
import { GradingSections } from './grading-sections';
import { ReviewPanel } from './review-panel';
import { useGradingApi } from './use-grading-api';

const kinds: readonly EnterpriseKind[] = ['industrial', 'platform', 'resolution'];

/** The assessments table (history, or the review queue). */
function AssessmentsTable({ rows, caption, busy, error, onOpen }: { rows: readonly Assessment[]; caption: string; busy: boolean; error: unknown; onOpen?: (a: Assessment) => void }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  return (
    <DataTable
      caption={caption}
      count={t('grading.count', { count: formatNumber(rows.length) })}
      rows={rows}
      rowKey={(a) => a.id}
      busy={busy}
      error={error}
      empty={t('grading.none')}
      columns={[
        { key: 'enterprise', header: t('grading.enterprise'), rowHeader: true, cell: (a) => `${a.enterpriseName} (${a.enterpriseCode})` },
        { key: 'kind', header: t('grading.kind'), cell: (a) => t(`grading.kind.${a.kind}`) },
        { key: 'score', header: t('grading.score'), className: 'numeric', cell: (a) => `${a.score}/${a.maxScore}` },
        { key: 'proposed', header: t('grading.proposed'), className: 'nowrap', cell: (a) => (a.proposedLevel ? t('grading.levelValue', { level: a.proposedLevel }) : t('common.none')) },
        { key: 'confirmed', header: t('grading.confirmed'), className: 'nowrap', cell: (a) => (a.confirmedLevel ? t('grading.levelValue', { level: a.confirmedLevel }) : t('common.none')) },
        { key: 'status', header: t('grading.status'), className: 'nowrap', cell: (a) => t(`grading.status.${a.status}`) },
        { key: 'at', header: t('grading.updatedAt'), className: 'nowrap', cell: (a) => formatDateTime(a.submittedAt ?? a.updatedAt) },
        onOpen
          ? {
              key: 'open',
              header: t('common.actions'),
              className: 'actions-cell',
              cell: (a) => (
                <button type="button" className="button button-secondary button-small" aria-label={t('grading.reviewOf', { enterprise: a.enterpriseName })} onClick={() => onOpen(a)}>
                  {t('grading.review')}
                </button>
              ),
            }
          : null,
      ]}
    />
  );
}

/** An enterprise's own view: its level, its open self-assessment (or a button to start one), its history. */
function EnterpriseView({ api, questionnaires }: { api: GradingApi; questionnaires: readonly Questionnaire[] }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [version, setVersion] = useState(0);
  const [kind, setKind] = useState<EnterpriseKind>('industrial');
  const [error, setError] = useState<unknown>();
  const grade = useResource((signal) => api.enterprises({}, { signal }), [api, version]);
  const history = useResource((signal) => api.assessments({}, { signal }), [api, version]);
  const mine: EnterpriseGrade | undefined = grade.data?.[0];
  const open = history.data?.find((a) => a.status !== 'confirmed');
  const questionnaire = open && questionnaires.find((q) => q.kind === open.kind);
  const start = async () => {
    setError(undefined);
    try {
      await api.createAssessment(kind);
      setVersion((v) => v + 1);
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <>
      <section className="panel" aria-label={t('grading.currentLevel')}>
        <h2>{t('grading.currentLevel')}</h2>
        {mine?.level ? (
          <p>
            <strong className={`grading-level grading-level-${mine.level}`}>{t('grading.levelValue', { level: mine.level })}</strong> · {t(`grading.kind.${mine.kind ?? 'industrial'}`)} · {t('grading.confirmedAt', { at: formatDateTime(mine.confirmedAt ?? '') })}
            {mine.reassessDueAt ? ` · ${t(mine.reassessOverdue ? 'grading.reassessOverdue' : 'grading.reassessDue', { at: formatDateTime(mine.reassessDueAt) })}` : ''}
          </p>
        ) : (
          <p>{t('grading.notGraded')}</p>
        )}
      </section>
      {error ? <ErrorAlert error={error} /> : null}
      {open && questionnaire ? (
        open.status === 'submitted' ? (
          <StatusMessage>{t('grading.awaitingReview')}</StatusMessage>
        ) : (
          <AssessmentForm key={`${open.id}-${open.updatedAt}`} api={api} assessment={open} questionnaire={questionnaire} onChanged={() => setVersion((v) => v + 1)} />
        )
      ) : can(me.role, 'grading.self') && !history.loading ? (
        <div className="filter-bar">
          <Field label={t('grading.kind')}>
            {(control) => (
              <select {...control} value={kind} onChange={(e) => setKind(e.target.value as EnterpriseKind)}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`grading.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" className="button button-primary" onClick={() => void start()}>
            {t('grading.start')}
          </button>
        </div>
      ) : null}
      <AssessmentsTable rows={history.data ?? []} caption={t('grading.history')} busy={history.loading} error={history.error} />
    </>
  );
}

/** The authority's view: counts per district and level, the review queue, enterprises by district and level. */
function AuthorityView({ api, questionnaires }: { api: GradingApi; questionnaires: readonly Questionnaire[] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [version, setVersion] = useState(0);
  const [reviewing, setReviewing] = useState<Assessment>();
  const [status, setStatus] = useState<string>();
  const [district, setDistrict] = useState('');
  const [level, setLevel] = useState('');
  const summary = useResource((signal) => api.summary({ signal }), [api, version]);
  const queue = useResource((signal) => api.assessments({ status: 'submitted' }, { signal }), [api, version]);
  const enterprises = useResource((signal) => api.enterprises({ ...(district ? { district } : {}), ...(level ? { level: Number(level) } : {}) }, { signal }), [api, version, district, level]);
  return (
    <>
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      <AssessmentsTable rows={queue.data ?? []} caption={t('grading.queue')} busy={queue.loading} error={queue.error} onOpen={setReviewing} />
      {reviewing ? (
        <ReviewPanel
          key={reviewing.id}
          api={api}
          assessment={reviewing}
          questionnaire={questionnaires.find((q) => q.kind === reviewing.kind && q.version === reviewing.questionnaireVersion)}
          onDone={(message) => {
            setReviewing(undefined);
            setStatus(message);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      <DataTable
        caption={t('grading.byDistrict')}
        count={t('grading.count', { count: formatNumber(summary.data?.length ?? 0) })}
        rows={summary.data ?? []}
        rowKey={(r) => r.district}
        busy={summary.loading}
        error={summary.error}
        columns={[
          { key: 'district', header: t('grading.district'), rowHeader: true, cell: (r) => r.district || t('common.none') },
          { key: 'l3', header: t('grading.levelValue', { level: 3 }), className: 'numeric', cell: (r) => formatNumber(r.level3) },
          { key: 'l2', header: t('grading.levelValue', { level: 2 }), className: 'numeric', cell: (r) => formatNumber(r.level2) },
          { key: 'l1', header: t('grading.levelValue', { level: 1 }), className: 'numeric', cell: (r) => formatNumber(r.level1) },
          { key: 'none', header: t('grading.ungraded'), className: 'numeric', cell: (r) => formatNumber(r.ungraded) },
          { key: 'overdue', header: t('grading.overdueCount'), className: 'numeric', cell: (r) => formatNumber(r.reassessOverdue) },
        ]}
      />
      <div className="filter-bar">
        <Field label={t('grading.district')}>
          {(control) => (
            <select {...control} value={district} onChange={(e) => setDistrict(e.target.value)}>
              <option value="">{t('grading.all')}</option>
              {(summary.data ?? []).map((r) => (
                <option key={r.district} value={r.district}>
                  {r.district}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('grading.level')}>
          {(control) => (
            <select {...control} value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">{t('grading.all')}</option>
              {[3, 2, 1].map((l) => (
                <option key={l} value={l}>
                  {t('grading.levelValue', { level: l })}
                </option>
              ))}
              <option value="0">{t('grading.ungraded')}</option>
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption={t('grading.enterprises')}
        count={t('grading.count', { count: formatNumber(enterprises.data?.length ?? 0) })}
        rows={enterprises.data ?? []}
        rowKey={(g) => g.tenantId}
        busy={enterprises.loading}
        error={enterprises.error}
        columns={[
          { key: 'name', header: t('grading.enterprise'), rowHeader: true, cell: (g) => `${g.enterpriseName} (${g.enterpriseCode})` },
          { key: 'district', header: t('grading.district'), cell: (g) => g.district },
          { key: 'level', header: t('grading.level'), className: 'nowrap', cell: (g) => (g.level ? t('grading.levelValue', { level: g.level }) : t('grading.ungraded')) },
          { key: 'kind', header: t('grading.kind'), cell: (g) => (g.kind ? t(`grading.kind.${g.kind}`) : t('common.none')) },
          { key: 'due', header: t('grading.reassessment'), className: 'nowrap', cell: (g) => (g.reassessDueAt ? `${formatDateTime(g.reassessDueAt)}${g.reassessOverdue ? ` (${t('grading.overdue')})` : ''}` : t('common.none')) },
          { key: 'open', header: t('grading.status'), className: 'nowrap', cell: (g) => (g.openAssessment ? t(`grading.status.${g.openAssessment.status}`) : t('common.none')) },
        ]}
      />
    </>
  );
}

/** 企业分级: an enterprise's self-assessment and level; the authority's review queue and overview. */
export function GradingPage() {
  const { t } = useI18n();
  const me = useMe();
  const api = useGradingApi();
  const questionnaires = useResource((signal) => api.questionnaires({ signal }), [api]);
  const authority = can(me.role, 'grading.confirm');
  return (
    <>
      <PageHeader title={t('grading.title')} intro={t(authority ? 'grading.introAuthority' : 'grading.introEnterprise')} />
      <GradingSections />
      {questionnaires.error ? <ErrorAlert error={questionnaires.error} /> : null}
      {questionnaires.data ? authority ? <AuthorityView api={api} questionnaires={questionnaires.data} /> : <EnterpriseView api={api} questionnaires={questionnaires.data} /> : null}
    </>
  );
}

import { useState } from 'react';
import type { PrefixAllocationDto, PrefixState } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { PrefixStep } from './identifier-api';
import { IdentifierSections } from './identifier-sections';
import { PrefixApplyForm } from './prefix-apply-form';
import { PrefixReviewDialog } from './prefix-review-dialog';
import { useIdentifierApi } from './use-identifier-api';

const stateBadge: Record<PrefixState, string> = { pending: 'badge badge-warn', approved: 'badge badge-on', rejected: 'badge badge-alert', suspended: 'badge badge-off' };
const stateLabel: Record<PrefixState, MessageKey> = {
  pending: 'identifiers.prefixState.pending',
  approved: 'identifiers.prefixState.approved',
  rejected: 'identifiers.prefixState.rejected',
  suspended: 'identifiers.prefixState.suspended',
};
// The states in order; a local list, as importing the contracts' values would pull zod into the bundle.
const prefixStates = Object.keys(stateLabel) as PrefixState[];
/** The steps a reviewer may take from each state. */
const stepsFrom: Record<PrefixState, readonly PrefixStep[]> = { pending: ['approve', 'reject'], approved: ['suspend'], rejected: [], suspended: ['resume'] };

/**
 * 企业前缀: an enterprise admin applies for a prefix and follows its applications; registrars (and
 * platform admins) see every application, the pending ones first, and approve, reject, suspend or resume.
 */
export function PrefixesPage() {
  const { t, formatNumber, formatDateTime } = useI18n();
  const me = useMe();
  const ids = useIdentifierApi();
  const apply = can(me.role, 'prefixes.apply');
  const review = can(me.role, 'prefixes.review');
  const [state, setState] = useState<PrefixState | ''>(review ? 'pending' : '');
  const list = useResource((signal) => ids.listPrefixes(state ? { state } : {}, { signal }), [ids, state]);
  const [status, setStatus] = useState<string>();
  const [reviewing, setReviewing] = useState<{ prefix: PrefixAllocationDto; step: PrefixStep }>();
  const items = list.data ?? [];

  return (
    <>
      <PageHeader title={t('identifiers.prefixesTitle')} intro={review ? t('identifiers.prefixesIntroReview') : t('identifiers.prefixesIntro')} />
      <IdentifierSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {apply ? (
        <PrefixApplyForm
          ids={ids}
          onApplied={(p) => {
            setStatus(t('identifiers.applied', { prefix: p.prefix }));
            list.reload();
          }}
        />
      ) : null}
      {reviewing ? (
        <PrefixReviewDialog
          ids={ids}
          prefix={reviewing.prefix}
          step={reviewing.step}
          onClose={() => setReviewing(undefined)}
          onDone={(after) => {
            setReviewing(undefined);
            setStatus(t(`identifiers.review.${reviewing.step}Done`, { prefix: after.prefix }));
            list.reload();
          }}
        />
      ) : null}
      <div className="filter-bar">
        <Field label={t('identifiers.prefixStateFilter')}>
          {(control) => (
            <select {...control} value={state} onChange={(e) => setState(prefixStates.find((s) => s === e.target.value) ?? '')}>
              <option value="">{t('identifiers.prefixStateAll')}</option>
              {prefixStates.map((s) => (
                <option key={s} value={s}>
                  {t(stateLabel[s])}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption={t('identifiers.prefixesCaption')}
        count={t('identifiers.prefixCount', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(p) => p.prefix}
        busy={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={t('identifiers.prefixesEmpty')}
        columns={[
          { key: 'prefix', header: t('identifiers.prefix'), rowHeader: true, className: 'id-data nowrap', cell: (p) => p.prefix },
          {
            key: 'org',
            header: t('identifiers.orgName'),
            cell: (p) => (
              <>
                {p.orgName}
                {p.creditCode ? <span className="cell-secondary">{p.creditCode}</span> : null}
              </>
            ),
          },
          {
            key: 'state',
            header: t('identifiers.prefixState'),
            cell: (p) => (
              <span className="stacked">
                <span className={stateBadge[p.state]}>{t(stateLabel[p.state])}</span>
                {p.reviewReason ? <span className="cell-secondary">{p.reviewReason}</span> : null}
              </span>
            ),
          },
          { key: 'quota', header: t('identifiers.quota'), className: 'numeric nowrap', cell: (p) => (p.quota === null ? t('identifiers.unlimited') : formatNumber(p.quota)) },
          { key: 'site', header: t('identifiers.site'), className: 'nowrap', cell: (p) => (p.site ? `${p.site.host}:${p.site.port}` : t('identifiers.platformNode')) },
          {
            key: 'people',
            header: t('identifiers.applicant'),
            cell: (p) => (
              <>
                {p.contact || t('common.none')}
                {p.applicant ? <span className="cell-secondary">{p.applicant}</span> : null}
                {p.reviewer ? <span className="cell-secondary">{t('identifiers.reviewedBy', { name: p.reviewer })}</span> : null}
              </>
            ),
          },
          { key: 'updated', header: t('identifiers.updated'), className: 'nowrap', cell: (p) => formatDateTime(p.updatedAt) },
          review && {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (p) => (
              <span className="row-actions">
                {stepsFrom[p.state].map((step) => (
                  <button
                    key={step}
                    type="button"
                    className={step === 'reject' || step === 'suspend' ? 'button button-danger-outline button-small' : 'button button-secondary button-small'}
                    aria-label={t(`identifiers.review.${step}Of`, { prefix: p.prefix })}
                    onClick={() => {
                      setStatus(undefined);
                      setReviewing({ prefix: p, step });
                    }}
                  >
                    {t(`identifiers.review.${step}`)}
                  </button>
                ))}
              </span>
            ),
          },
        ]}
      />
    </>
  );
}

import { useState } from 'react';
import { inspectionTaskStatuses } from '@yulian/contracts';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import type { InspectionTask, InspectionTaskStatus } from './inspection-api';
import { roundProgress } from './inspection-forms';
import { InspectionSections } from './inspection-sections';
import { useInspectionApi } from './use-inspection-api';

/** Badge class of each round status: overdue and missed stand out. */
export const roundBadge: Record<InspectionTaskStatus, string> = {
  open: 'badge',
  overdue: 'badge badge-warn',
  missed: 'badge badge-alert',
  done: 'badge badge-on',
};

type Scope = InspectionTaskStatus | 'all';

/** 点检管理 → 点检任务: every round of the enterprise's plans, its status, window, assignees and progress. */
export function InspectionRoundsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const inspection = useInspectionApi();
  const [scope, setScope] = useState<Scope>('all');
  const list = usePolling((signal) => inspection.tasks(scope === 'all' ? {} : { status: scope }, { signal }), [inspection, scope], { intervalMs: 10_000 });
  const items = list.data ?? [];
  const rowClass = (r: InspectionTask) => (r.status === 'overdue' || r.status === 'missed' ? `inspection-round-${r.status}` : undefined);

  return (
    <>
      <PageHeader title={t('inspection.consoleTitle')} intro={t('inspection.consoleIntro')} />
      <InspectionSections />
      <div className="filter-bar">
        <Field label={t('inspection.filterStatus')}>
          {(control) => (
            <select {...control} value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
              <option value="all">{t('inspection.filterAll')}</option>
              {inspectionTaskStatuses.map((s) => (
                <option key={s} value={s}>
                  {t(`inspection.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption={t('inspection.roundsCaption')}
        count={t('inspection.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(r) => r.id}
        rowClassName={rowClass}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t('inspection.roundsEmpty')}
        columns={[
          { key: 'status', header: t('inspection.status'), className: 'nowrap', cell: (r) => <span className={roundBadge[r.status]}>{t(`inspection.status.${r.status}`)}</span> },
          { key: 'plan', header: t('inspection.plan'), rowHeader: true, cell: (r) => r.planName },
          { key: 'route', header: t('inspection.route'), cell: (r) => r.routeName },
          { key: 'window', header: t('inspection.window'), className: 'nowrap', cell: (r) => t('inspection.windowValue', { start: formatDateTime(r.startsAt), due: formatDateTime(r.dueAt) }) },
          { key: 'assignees', header: t('inspection.assignees'), cell: (r) => r.assignees.join(', ') },
          {
            key: 'progress',
            header: t('inspection.progressHeader'),
            className: 'nowrap',
            cell: (r) => {
              const p = roundProgress(r);
              return t('inspection.progress', { done: formatNumber(p.done), total: formatNumber(p.total) });
            },
          },
          { key: 'completed', header: t('inspection.completedAt'), className: 'nowrap', cell: (r) => (r.completedAt ? formatDateTime(r.completedAt) : t('common.none')) },
        ]}
      />
    </>
  );
}

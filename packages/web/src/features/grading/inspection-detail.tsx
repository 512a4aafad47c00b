import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { GradingApi, SecurityInspection } from './grading-api';
import { textOf } from './grading-format';
import { RectificationsTable } from './rectifications-table';

type Result = 'pass' | 'finding' | 'not_applicable';
interface Draft {
  result: Result | '';
  severity: 'high' | 'medium' | 'low';
  description: string;
}

/** One inspection: its checklist with results (editable by the authority until completed) and its rectifications. */
export function InspectionDetail({ api, id, onChanged }: { api: GradingApi; id: string; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const me = useMe();
  const [version, setVersion] = useState(0);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const res = useResource((signal) => api.inspection(id, { signal }), [api, id, version]);
  const inspection: SecurityInspection | undefined = res.data;
  const editable = can(me.role, 'securityInspections.manage') && (inspection?.status === 'scheduled' || inspection?.status === 'in_progress');
  const draftOf = (item: string): Draft => {
    const saved = inspection?.items?.find((i) => i.id === item);
    return drafts[item] ?? { result: saved && saved.result !== 'pending' ? saved.result : '', severity: saved?.severity ?? 'medium', description: saved?.description ?? '' };
  };
  const set = (item: string, change: Partial<Draft>) => setDrafts((d) => ({ ...d, [item]: { ...draftOf(item), ...change } }));

  const save = async (complete: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const results = Object.keys(drafts)
        .map((item) => ({ item, ...draftOf(item) }))
        .filter((d) => d.result)
        .map((d) => ({ item: d.item, result: d.result as Result, description: d.description.trim(), ...(d.result === 'finding' ? { severity: d.severity } : {}) }));
      await api.recordResults(id, { results, complete });
      setDrafts({});
      setVersion((v) => v + 1);
      onChanged();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  if (res.error) return <ErrorAlert error={res.error} />;
  if (!inspection) return null;
  return (
    <section className="panel" aria-label={t('inspections.detailOf', { enterprise: inspection.enterpriseName })}>
      <h2>{t('inspections.detailOf', { enterprise: inspection.enterpriseName })}</h2>
      <p>
        {t('grading.levelValue', { level: inspection.level })} · {formatDateTime(inspection.scheduledFor)} · {inspection.inspectors.join('、')} · {t(`inspections.status.${inspection.status}`)}
      </p>
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={t('inspections.checklist')}
        count={t('grading.count', { count: inspection.counts.items })}
        rows={inspection.items ?? []}
        rowKey={(i) => i.id}
        columns={[
          { key: 'item', header: t('inspections.item'), rowHeader: true, cell: (i) => <span title={lang === 'en' ? i.basisEn : i.basisZh}>{textOf(lang, i)}</span> },
          {
            key: 'result',
            header: t('inspections.result'),
            cell: (i) =>
              editable ? (
                <select aria-label={t('inspections.resultOf', { item: textOf(lang, i) })} value={draftOf(i.id).result} onChange={(e) => set(i.id, { result: e.target.value as Result })}>
                  <option value="">{t('inspections.result.pending')}</option>
                  <option value="pass">{t('inspections.result.pass')}</option>
                  <option value="finding">{t('inspections.result.finding')}</option>
                  <option value="not_applicable">{t('inspections.result.not_applicable')}</option>
                </select>
              ) : (
                t(`inspections.result.${i.result}`)
              ),
          },
          {
            key: 'severity',
            header: t('inspections.severity'),
            cell: (i) =>
              editable && draftOf(i.id).result === 'finding' ? (
                <select aria-label={t('inspections.severityOf', { item: textOf(lang, i) })} value={draftOf(i.id).severity} onChange={(e) => set(i.id, { severity: e.target.value as Draft['severity'] })}>
                  {(['high', 'medium', 'low'] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`inspections.severity.${s}`)}
                    </option>
                  ))}
                </select>
              ) : i.severity ? (
                t(`inspections.severity.${i.severity}`)
              ) : (
                ''
              ),
          },
          {
            key: 'description',
            header: t('inspections.description'),
            cell: (i) =>
              editable && draftOf(i.id).result === 'finding' ? (
                <input aria-label={t('inspections.descriptionOf', { item: textOf(lang, i) })} maxLength={2000} value={draftOf(i.id).description} onChange={(e) => set(i.id, { description: e.target.value })} />
              ) : (
                i.description
              ),
          },
        ]}
      />
      {editable ? (
        <div className="form-actions">
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void save(false)}>
            {t('inspections.saveResults')}
          </button>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void save(true)}>
            {t('inspections.complete')}
          </button>
        </div>
      ) : null}
      {inspection.rectifications?.length ? (
        <RectificationsTable
          api={api}
          rows={inspection.rectifications}
          onChanged={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

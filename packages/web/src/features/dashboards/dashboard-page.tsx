import { useState } from 'react';
import type { DashboardLayout, DashboardWidget } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { LiveProvider } from '../devices/live-context';
import { DashboardGrid } from './dashboard-grid';
import { moveWidget, nextWidgetId, putWidget, removeWidget } from './layout-edit';
import { WidgetDialog } from './widget-dialog';

/** 看板 → one dashboard: its widgets, live; an edit mode adds, configures, moves and removes them. */
export function DashboardPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const me = useMe();
  const dashboard = useResource((signal) => api.getDashboard(id, { signal }), [api, id]);
  const [draft, setDraft] = useState<DashboardLayout | undefined>();
  const [editing, setEditing] = useState<DashboardWidget | { id: string } | undefined>();
  const [deleting, setDeleting] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const mayEdit = can(me.role, 'devices.manage');
  const d = dashboard.data;
  const layout = draft ?? d?.layout;

  const save = async () => {
    if (!d || !draft) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      await api.updateDashboard(d.id, { name: d.name, layout: draft });
      setDraft(undefined);
      dashboard.reload();
    } catch (cause) {
      setSaveError(cause);
    } finally {
      setSaving(false);
    }
  };

  const actions = d ? (
    draft ? (
      <>
        <button type="button" className="button button-secondary" onClick={() => setEditing({ id: nextWidgetId(draft.widgets, 'value') })}>
          {t('widget.add')}
        </button>
        <button type="button" className="button button-primary" disabled={saving} onClick={() => void save()}>
          {saving ? t('common.saving') : t('dashboards.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => (setDraft(undefined), setSaveError(undefined))}>
          {t('common.cancel')}
        </button>
      </>
    ) : (
      <>
        <Link to="/screen/:id" params={{ id: d.id }} className="button button-secondary">
          {t('dashboards.screen')}
        </Link>
        {mayEdit ? (
          <>
            <button type="button" className="button button-secondary" onClick={() => setDraft(d.layout)}>
              {t('dashboards.edit')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setDeleting(true)}>
              {t('dashboards.delete')}
            </button>
          </>
        ) : null}
      </>
    )
  ) : undefined;

  return (
    <>
      <p className="back-link">
        <Link to="/dashboards">← {t('dashboards.back')}</Link>
      </p>
      <PageHeader title={d?.name ?? t('dashboards.title')} intro={draft ? t('dashboards.editing') : undefined} actions={actions} />
      {dashboard.error ? <ErrorAlert error={dashboard.error} onRetry={dashboard.reload} /> : null}
      {saveError ? <ErrorAlert error={saveError} /> : null}
      {layout ? (
        layout.widgets.length === 0 ? (
          <p className="muted">{t('dashboards.noWidgets')}</p>
        ) : (
          <LiveProvider>
            <DashboardGrid
              layout={layout}
              tools={
                draft
                  ? (w) => (
                      <>
                        <button type="button" className="icon-button" aria-label={t('widget.moveEarlier', { title: w.title || w.id })} onClick={() => setDraft(moveWidget(draft, w.id, -1))}>
                          ←
                        </button>
                        <button type="button" className="icon-button" aria-label={t('widget.moveLater', { title: w.title || w.id })} onClick={() => setDraft(moveWidget(draft, w.id, 1))}>
                          →
                        </button>
                        <button type="button" className="button button-secondary button-small" onClick={() => setEditing(w)}>
                          {t('widget.configure')}
                        </button>
                        <button type="button" className="button button-danger button-small" onClick={() => setDraft(removeWidget(draft, w.id))}>
                          {t('widget.remove')}
                        </button>
                      </>
                    )
                  : undefined
              }
            />
          </LiveProvider>
        )
      ) : null}
      {editing && draft ? (
        <WidgetDialog
          widget={editing}
          onClose={() => setEditing(undefined)}
          onSave={(w) => {
            setDraft(putWidget(draft, w));
            setEditing(undefined);
          }}
        />
      ) : null}
      {deleting && d ? (
        <ConfirmDialog
          title={t('dashboards.delete')}
          confirmLabel={t('dashboards.deleteConfirm')}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteDashboard(d.id);
            navigate('/dashboards');
          }}
        >
          {t('dashboards.deleteText', { name: d.name })}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

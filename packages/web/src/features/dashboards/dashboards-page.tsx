import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';

/** 看板: the enterprise's dashboards; roles that manage devices create new ones. */
export function DashboardsPage() {
  const { t, formatDateTime } = useI18n();
  const api = useApi();
  const me = useMe();
  const dashboards = useResource((signal) => api.listDashboards({ signal }), [api]);
  const [creating, setCreating] = useState(false);
  const items = dashboards.data ?? [];
  const mayEdit = can(me.role, 'devices.manage');
  return (
    <>
      <PageHeader
        title={t('dashboards.title')}
        intro={t('dashboards.intro')}
        actions={
          mayEdit ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              {t('dashboards.create')}
            </button>
          ) : undefined
        }
      />
      <DataTable
        caption={t('dashboards.tableCaption')}
        count={t('dashboards.count', { count: items.length })}
        rows={items}
        rowKey={(d) => d.id}
        busy={dashboards.loading}
        empty={t('dashboards.empty')}
        error={dashboards.error}
        onRetry={dashboards.reload}
        columns={[
          {
            key: 'name',
            header: t('dashboards.name'),
            rowHeader: true,
            cell: (d) => (
              <Link to="/dashboards/:id" params={{ id: d.id }}>
                {d.name}
              </Link>
            ),
          },
          { key: 'widgets', header: t('dashboards.widgets'), className: 'numeric', cell: (d) => d.widgets },
          { key: 'updated', header: t('dashboards.updated'), className: 'nowrap', cell: (d) => `${formatDateTime(d.updatedAt)} · ${d.updatedBy}` },
          {
            key: 'screen',
            header: t('common.actions'),
            cell: (d) => (
              <Link to="/screen/:id" params={{ id: d.id }}>
                {t('dashboards.screen')}
              </Link>
            ),
          },
        ]}
      />
      {creating ? <CreateDashboardDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function CreateDashboardDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const created = await api.createDashboard({ name: name.trim(), layout: { widgets: [] } });
      navigate('/dashboards/:id', { id: created.id });
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('dashboards.create')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void create();
        }}
      >
        <Field label={t('dashboards.name')}>{(control) => <input {...control} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />}</Field>
        {error ? <ErrorAlert error={error} /> : null}
        <FormActions submitLabel={t('dashboards.createConfirm')} busy={busy} disabled={!name.trim()} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

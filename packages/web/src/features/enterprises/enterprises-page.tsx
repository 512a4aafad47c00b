import { useState } from 'react';
import type { Enterprise } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { useDistrictLabel } from './chongqing-districts';
import { EnterpriseForm } from './enterprise-form';

type FormState = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; enterprise: Enterprise };

/** 管理 → 企业: the enterprise table; platform admins also create and edit. */
export function EnterprisesPage() {
  const { t, formatDateTime } = useI18n();
  const districtLabel = useDistrictLabel();
  const me = useMe();
  const api = useApi();
  const enterprises = useResource((signal) => api.listEnterprises({ signal }), [api]);
  const [form, setForm] = useState<FormState>({ mode: 'closed' });
  const [status, setStatus] = useState<string>();
  const manage = can(me.role, 'enterprises.manage');

  const intro = me.role === 'authority' ? t('enterprises.readOnly') : manage ? t('enterprises.intro') : t('enterprises.ownOnly');
  const items = enterprises.data ?? [];

  return (
    <>
      <PageHeader
        title={t('enterprises.title')}
        intro={intro}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={enterprises.reload}>
              {t('common.refresh')}
            </button>
            {manage ? (
              <button
                type="button"
                className="button button-primary"
                aria-expanded={form.mode === 'create'}
                onClick={() => {
                  setStatus(undefined);
                  setForm(form.mode === 'create' ? { mode: 'closed' } : { mode: 'create' });
                }}
              >
                {t('enterprises.createTitle')}
              </button>
            ) : null}
          </>
        }
      />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {manage && form.mode === 'create' ? (
        <EnterpriseForm
          onCancel={() => setForm({ mode: 'closed' })}
          onSubmit={async (values) => {
            const created = await api.createEnterprise(values);
            setForm({ mode: 'closed' });
            setStatus(t('enterprises.created', { name: created.name }));
            enterprises.reload();
          }}
        />
      ) : null}
      {manage && form.mode === 'edit' ? (
        <EnterpriseForm
          key={form.enterprise.id}
          initial={form.enterprise}
          onCancel={() => setForm({ mode: 'closed' })}
          onSubmit={async (values) => {
            const saved = await api.updateEnterprise(form.enterprise.id, values);
            setForm({ mode: 'closed' });
            setStatus(t('enterprises.updated', { name: saved.name }));
            enterprises.reload();
          }}
        />
      ) : null}
      <DataTable
        caption={t('enterprises.tableCaption')}
        count={t('enterprises.count', { count: items.length })}
        rows={items}
        rowKey={(e) => e.id}
        busy={enterprises.loading}
        error={enterprises.error}
        onRetry={enterprises.reload}
        columns={[
          { key: 'name', header: t('enterprises.name'), rowHeader: true, cell: (e) => e.name },
          { key: 'code', header: t('enterprises.code'), className: 'nowrap', cell: (e) => <code>{e.code}</code> },
          {
            key: 'district',
            header: t('enterprises.district'),
            cell: (e) => (e.district ? districtLabel(e.district) : t('common.none')),
          },
          { key: 'industry', header: t('enterprises.industry'), cell: (e) => e.industry || t('common.none') },
          { key: 'createdAt', header: t('enterprises.createdAt'), className: 'nowrap', cell: (e) => formatDateTime(e.createdAt) },
          manage && {
            key: 'actions',
            header: t('common.actions'),
            cell: (e) => (
              <button
                type="button"
                className="button button-text"
                aria-label={`${t('common.edit')} ${e.name}`}
                onClick={() => {
                  setStatus(undefined);
                  setForm({ mode: 'edit', enterprise: e });
                }}
              >
                {t('common.edit')}
              </button>
            ),
          },
        ]}
      />
    </>
  );
}

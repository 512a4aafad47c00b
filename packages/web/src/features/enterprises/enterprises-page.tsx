import { useState } from 'react';
import type { Enterprise } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
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
      {enterprises.error ? <ErrorAlert error={enterprises.error} onRetry={enterprises.reload} /> : null}
      <section className="panel">
        <div className="table-wrap">
          <table className="table table-stack">
            <caption>
              {t('enterprises.tableCaption')} · {t('enterprises.count', { count: items.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('enterprises.name')}</th>
                <th scope="col">{t('enterprises.code')}</th>
                <th scope="col">{t('enterprises.district')}</th>
                <th scope="col">{t('enterprises.industry')}</th>
                <th scope="col">{t('enterprises.createdAt')}</th>
                {manage ? <th scope="col">{t('common.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.name}</th>
                  <td className="nowrap" data-label={t('enterprises.code')}>
                    <code>{e.code}</code>
                  </td>
                  <td data-label={t('enterprises.district')}>{e.district ? districtLabel(e.district) : t('common.none')}</td>
                  <td data-label={t('enterprises.industry')}>{e.industry || t('common.none')}</td>
                  <td className="nowrap" data-label={t('enterprises.createdAt')}>
                    {formatDateTime(e.createdAt)}
                  </td>
                  {manage ? (
                    <td data-label={t('common.actions')}>
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
                    </td>
                  ) : null}
                </tr>
              ))}
              {items.length === 0 && !enterprises.loading ? (
                <tr>
                  <td colSpan={manage ? 6 : 5} className="empty">
                    {t('common.empty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { chongqingDistricts } from '@yulian/contracts/districts';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { epoch, securitySections } from './security-parts';
import type { ProtectionObject } from './security-api';
import { useSecurityApi } from './use-security-api';
import './security.css';

/**
 * 防护对象: the city (市级) and district (区县级) lists of critical protection objects. The authority lists
 * an enterprise (by code) or one of its devices with a reason, and removes them; an enterprise sees its listings.
 */
export function ProtectionPage() {
  const { t, lang, formatNumber, formatDateTime } = useI18n();
  const me = useMe();
  const security = useSecurityApi();
  const manage = can(me.role, 'protection.manage');
  const list = usePolling((signal) => security.protection({ signal }), [security], { intervalMs: 30_000 });
  const [form, setForm] = useState({ level: 'city' as ProtectionObject['level'], enterprise: '', deviceId: '', district: '', reason: '' });
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const items = list.data ?? [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await security.addProtection({
        level: form.level,
        enterprise: form.enterprise.trim(),
        reason: form.reason,
        ...(form.deviceId.trim() ? { deviceId: form.deviceId.trim() } : {}),
        ...(form.level === 'district' && form.district ? { district: form.district } : {}),
      });
      setMessage(t('sec.protect.added', { level: t(`sec.protect.level.${form.level}`) }));
      setForm({ ...form, enterprise: '', deviceId: '', reason: '' });
      list.refresh();
    } catch (x) {
      setError(x);
    }
  };
  const remove = async (o: ProtectionObject) => {
    setError(undefined);
    try {
      await security.removeProtection(o.id);
      setMessage(t('sec.protect.removed'));
      list.refresh();
    } catch (x) {
      setError(x);
    }
  };
  const objectName = (o: ProtectionObject) => `${o.enterpriseName}${o.deviceId ? ` / ${o.deviceName ?? o.deviceId}` : ''}`;

  return (
    <>
      <PageHeader title={t('sec.protect.title')} intro={t(manage ? 'sec.protect.introAuthority' : 'sec.protect.introEnterprise')} />
      <SectionTabs label="sec.sections" sections={securitySections} />
      {manage ? (
        <form className="panel form" aria-label={t('sec.protect.addTitle')} onSubmit={(e) => void submit(e)}>
          <h2 className="panel-title">{t('sec.protect.addTitle')}</h2>
          <div className="sec-form">
            <Field label={t('sec.protect.level')}>
              {(c) => (
                <select {...c} value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value as ProtectionObject['level'] })}>
                  <option value="city">{t('sec.protect.level.city')}</option>
                  <option value="district">{t('sec.protect.level.district')}</option>
                </select>
              )}
            </Field>
            <Field label={t('sec.protect.enterpriseCode')}>{(c) => <input {...c} required value={form.enterprise} onChange={(e) => setForm({ ...form, enterprise: e.target.value })} />}</Field>
            <Field label={t('sec.protect.device')} hint={t('sec.protect.deviceHint')}>
              {(c) => <input {...c} value={form.deviceId} onChange={(e) => setForm({ ...form, deviceId: e.target.value })} />}
            </Field>
            {form.level === 'district' ? (
              <Field label={t('sec.protect.district')}>
                {(c) => (
                  <select {...c} value={form.district} onChange={(e) => setForm({ ...form, district: e.target.value })}>
                    <option value="">{t('sec.protect.districtDefault')}</option>
                    {chongqingDistricts.map((d) => (
                      <option key={d.name} value={d.name}>
                        {lang === 'en' ? d.en : d.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <Field label={t('sec.protect.reason')}>{(c) => <input {...c} required value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />}</Field>
            <div>
              <button type="submit" className="button button-primary">
                {t('sec.protect.add')}
              </button>
            </div>
          </div>
        </form>
      ) : null}
      {message ? <StatusMessage>{message}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {!manage && !list.loading && items.length === 0 ? <p>{t('sec.protect.notListed')}</p> : null}
      <DataTable
        caption={t('sec.protect.title')}
        count={t('sec.count.items', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(o) => o.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t('sec.protect.empty')}
        columns={[
          { key: 'level', header: t('sec.protect.level'), cell: (o) => t(`sec.protect.level.${o.level}`) },
          { key: 'district', header: t('sec.protect.district'), cell: (o) => (lang === 'en' ? (chongqingDistricts.find((d) => d.name === o.district)?.en ?? o.district) : o.district) },
          { key: 'object', header: t('sec.protect.object'), rowHeader: true, cell: (o) => objectName(o) },
          { key: 'scope', header: t('sec.enterprise'), cell: (o) => (o.deviceId ? o.enterpriseCode : t('sec.protect.wholeEnterprise')) },
          { key: 'reason', header: t('sec.protect.reason'), cell: (o) => o.reason },
          { key: 'by', header: t('sec.protect.by'), cell: (o) => o.createdBy ?? '—' },
          { key: 'at', header: t('sec.protect.at'), className: 'nowrap', cell: (o) => epoch(formatDateTime, o.createdAt) },
          manage
            ? {
                key: 'remove',
                header: t('common.actions'),
                cell: (o) => (
                  <button type="button" className="button button-danger-outline" aria-label={t('sec.protect.removeOf', { name: objectName(o) })} onClick={() => void remove(o)}>
                    {t('sec.protect.remove')}
                  </button>
                ),
              }
            : null,
        ]}
      />
    </>
  );
}

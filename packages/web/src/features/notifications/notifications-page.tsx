import { useMemo, useState, type FormEvent } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { severityLabel } from '../alarms/alarm-format';
import { AlarmSections } from '../alarms/alarm-sections';
import { severities, type Severity } from '../alarms/alarm-types';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { ChannelForm, channelKindLabel } from './channel-form';
import { createNotificationApi, type NotificationChannel } from './notification-api';
import './notifications.css';

/** Where a channel sends, for the table (no secrets: the server never returns them). */
const targetOf = (c: NotificationChannel): string => String(c.config['url'] ?? (c.config['host'] ? `${String(c.config['host'])}:${String(c.config['port'])}` : ''));

/**
 * 告警通知: the enterprise's channels (webhook, email, WeCom, DingTalk — engineers and admins add, test and
 * remove them), the signed-in user's subscriptions by severity, site and channel, and the dead letters
 * (deliveries that failed every attempt) with a button to send each again.
 */
export function NotificationsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const api = useApi();
  const notifications = useMemo(() => createNotificationApi({ token: () => api.token() }), [api]);
  const manage = can(me.role, 'alarms.rules');
  const [version, setVersion] = useState(0);
  const channels = useResource((signal) => notifications.listChannels({ signal }), [notifications, version]);
  const subs = useResource((signal) => notifications.listSubscriptions({ signal }), [notifications, version]);
  const dead = useResource((signal) => (manage ? notifications.listDeliveries('dead', { signal }) : Promise.resolve([])), [notifications, version, manage]);
  const sites = useResource((signal) => api.listSites({ signal }), [api]);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [channel, setChannel] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<Severity>>(new Set(severities));
  const [site, setSite] = useState('');
  const [address, setAddress] = useState('');
  const channelList = channels.data ?? [];
  const channelName = (id: string) => channelList.find((c) => c.id === id)?.name ?? id;
  const siteName = (id: string) => (sites.data ?? []).find((s) => s.id === id)?.name ?? id;
  const pickedChannel = channelList.find((c) => c.id === channel) ?? channelList[0];

  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setStatus(undefined);
    try {
      await action();
      setStatus(done);
      setVersion((v) => v + 1);
    } catch (cause) {
      setError(cause);
    }
  };
  const subscribe = (event: FormEvent) => {
    event.preventDefault();
    if (!pickedChannel) return;
    void run(
      () => notifications.subscribe({ channel: pickedChannel.id, severities: severities.filter((s) => chosen.has(s)), sites: site ? [site] : [], ...(pickedChannel.kind === 'email' ? { address: address.trim() } : {}) }),
      t('notifications.subscribed', { channel: pickedChannel.name }),
    );
  };

  return (
    <>
      <PageHeader title={t('notifications.title')} intro={t('notifications.intro')} />
      <AlarmSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <section className="notifications-section" aria-labelledby="notification-channels">
        <h2 id="notification-channels">{t('notifications.channels')}</h2>
        <DataTable
          caption={t('notifications.channels')}
          count={t('alarms.count', { count: formatNumber(channelList.length) })}
          rows={channelList}
          rowKey={(c) => c.id}
          busy={channels.loading}
          error={channels.error}
          onRetry={channels.reload}
          empty={t('notifications.noChannels')}
          columns={[
            { key: 'name', header: t('notifications.channelName'), rowHeader: true, cell: (c) => c.name },
            { key: 'kind', header: t('notifications.kind'), cell: (c) => t(channelKindLabel[c.kind]) },
            { key: 'target', header: t('notifications.target'), cell: (c) => `${targetOf(c)}${c.secretSet ? ` · ${t('notifications.signed')}` : ''}` },
            manage && {
              key: 'actions',
              header: t('common.actions'),
              className: 'actions-cell',
              cell: (c) => (
                <span className="row-actions">
                  <button type="button" className="button button-secondary button-small" aria-label={t('notifications.testOf', { name: c.name })} onClick={() => void run(() => notifications.testChannel(c.id, c.kind === 'email' ? (window.prompt(t('notifications.address')) ?? undefined) : undefined), t('notifications.testSent', { name: c.name }))}>
                    {t('notifications.test')}
                  </button>
                  <button type="button" className="button button-secondary button-small" aria-label={t('notifications.deleteOf', { name: c.name })} onClick={() => void run(() => notifications.deleteChannel(c.id), t('notifications.deleted', { name: c.name }))}>
                    {t('alarms.delete')}
                  </button>
                </span>
              ),
            },
          ]}
        />
        {manage ? <ChannelForm api={notifications} onCreated={(c) => { setStatus(t('notifications.channelAdded', { name: c.name })); setVersion((v) => v + 1); }} /> : null}
      </section>

      <section className="notifications-section" aria-labelledby="notification-subscriptions">
        <h2 id="notification-subscriptions">{t('notifications.mySubscriptions')}</h2>
        <DataTable
          caption={t('notifications.mySubscriptions')}
          count={t('alarms.count', { count: formatNumber(subs.data?.length ?? 0) })}
          rows={subs.data ?? []}
          rowKey={(s) => s.id}
          busy={subs.loading}
          error={subs.error}
          onRetry={subs.reload}
          empty={t('notifications.noSubscriptions')}
          columns={[
            { key: 'channel', header: t('notifications.channel'), rowHeader: true, cell: (s) => channelName(s.channel) },
            { key: 'severities', header: t('alarms.severity'), cell: (s) => s.severities.map((x) => t(severityLabel[x])).join('、') },
            { key: 'sites', header: t('notifications.sites'), cell: (s) => (s.sites.length ? s.sites.map(siteName).join('、') : t('notifications.allSites')) },
            { key: 'address', header: t('notifications.address'), cell: (s) => s.address ?? t('common.none') },
            {
              key: 'actions',
              header: t('common.actions'),
              className: 'actions-cell',
              cell: (s) => (
                <button type="button" className="button button-secondary button-small" aria-label={t('notifications.unsubscribeOf', { channel: channelName(s.channel) })} onClick={() => void run(() => notifications.unsubscribe(s.id), t('notifications.unsubscribed'))}>
                  {t('notifications.unsubscribe')}
                </button>
              ),
            },
          ]}
        />
        {channelList.length ? (
          <form className="form" aria-label={t('notifications.subscribe')} onSubmit={subscribe}>
            <div className="form-grid">
              <Field label={t('notifications.channel')}>
                {(control) => (
                  <select {...control} name="channel" value={pickedChannel?.id ?? ''} onChange={(e) => setChannel(e.target.value)}>
                    {channelList.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('notifications.site')}>
                {(control) => (
                  <select {...control} name="site" value={site} onChange={(e) => setSite(e.target.value)}>
                    <option value="">{t('notifications.allSites')}</option>
                    {(sites.data ?? []).map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {pickedChannel?.kind === 'email' ? (
                <Field label={t('notifications.address')}>
                  {(control) => <input {...control} name="address" type="email" autoComplete="email" value={address} onChange={(e) => setAddress(e.target.value)} />}
                </Field>
              ) : null}
              <fieldset className="checkbox-group">
                <legend>{t('alarms.severity')}</legend>
                {severities.map((s) => (
                  <label key={s} className="checkbox-field">
                    <input
                      type="checkbox"
                      checked={chosen.has(s)}
                      onChange={(e) =>
                        setChosen((c) => {
                          const next = new Set(c);
                          if (e.target.checked) next.add(s);
                          else next.delete(s);
                          return next;
                        })
                      }
                    />
                    {t(severityLabel[s])}
                  </label>
                ))}
              </fieldset>
            </div>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={chosen.size === 0}>
                {t('notifications.subscribe')}
              </button>
            </div>
          </form>
        ) : null}
      </section>

      {manage ? (
        <section className="notifications-section" aria-labelledby="notification-dead">
          <h2 id="notification-dead">{t('notifications.deadLetters')}</h2>
          <DataTable
            caption={t('notifications.deadLetters')}
            count={t('alarms.count', { count: formatNumber(dead.data?.length ?? 0) })}
            rows={dead.data ?? []}
            rowKey={(d) => d.id}
            busy={dead.loading}
            error={dead.error}
            onRetry={dead.reload}
            empty={t('notifications.noDeadLetters')}
            columns={[
              { key: 'title', header: t('notifications.message'), rowHeader: true, cell: (d) => d.title },
              { key: 'channel', header: t('notifications.channel'), cell: (d) => channelName(d.channel) },
              { key: 'attempts', header: t('notifications.attempts'), className: 'numeric', cell: (d) => formatNumber(d.attempts) },
              { key: 'error', header: t('notifications.lastError'), cell: (d) => d.lastError ?? t('common.none') },
              { key: 'at', header: t('notifications.createdAt'), className: 'alarm-time', cell: (d) => formatDateTime(d.createdAt) },
              {
                key: 'actions',
                header: t('common.actions'),
                className: 'actions-cell',
                cell: (d) => (
                  <button type="button" className="button button-primary button-small" aria-label={t('notifications.redriveOf', { title: d.title })} onClick={() => void run(() => notifications.redrive(d.id), t('notifications.redriven'))}>
                    {t('notifications.redrive')}
                  </button>
                ),
              },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { notificationChannelKinds, type NotificationApi, type NotificationChannel, type NotificationChannelConfig, type NotificationChannelKind } from './notification-api';

/** The label of each channel kind. */
export const channelKindLabel: Record<NotificationChannelKind, MessageKey> = {
  webhook: 'notifications.kind.webhook',
  email: 'notifications.kind.email',
  wecom: 'notifications.kind.wecom',
  dingtalk: 'notifications.kind.dingtalk',
};

interface ChannelDraft {
  name: string;
  kind: NotificationChannelKind;
  url: string;
  secret: string;
  host: string;
  port: string;
  from: string;
  user: string;
  password: string;
}

const emptyDraft: ChannelDraft = { name: '', kind: 'webhook', url: '', secret: '', host: '', port: '25', from: '', user: '', password: '' };

/** The API settings of a draft (empty optional fields left out). */
export function channelConfigOf(d: ChannelDraft): NotificationChannelConfig {
  const opt = <K extends string>(key: K, v: string) => (v.trim() ? ({ [key]: v.trim() } as Record<K, string>) : {});
  switch (d.kind) {
    case 'webhook':
      return { kind: 'webhook', url: d.url.trim(), ...opt('secret', d.secret) };
    case 'wecom':
      return { kind: 'wecom', url: d.url.trim() };
    case 'dingtalk':
      return { kind: 'dingtalk', url: d.url.trim(), ...opt('secret', d.secret) };
    case 'email':
      return { kind: 'email', host: d.host.trim(), port: Number(d.port), from: d.from.trim(), ...opt('user', d.user), ...opt('password', d.password) };
  }
}

/** 添加渠道: a channel's name, kind and the kind's settings; the server checks them and names the field it refuses. */
export function ChannelForm({ api, onCreated }: { api: NotificationApi; onCreated: (c: NotificationChannel) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ChannelDraft>(emptyDraft);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<ChannelDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await api.createChannel({ name: draft.name.trim(), config: channelConfigOf(draft) }));
      setDraft(emptyDraft);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const text = (key: keyof ChannelDraft, label: MessageKey, o: { type?: string; hint?: MessageKey } = {}) => (
    <Field label={t(label)} {...(o.hint ? { hint: t(o.hint) } : {})}>
      {(control) => <input {...control} name={key} type={o.type ?? 'text'} autoComplete="off" value={String(draft[key])} onChange={(e) => change({ [key]: e.target.value })} />}
    </Field>
  );
  return (
    <form className="form" aria-label={t('notifications.addChannel')} onSubmit={(e) => void submit(e)} noValidate>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-grid">
        {text('name', 'notifications.channelName')}
        <Field label={t('notifications.kind')}>
          {(control) => (
            <select {...control} name="kind" value={draft.kind} onChange={(e) => change({ kind: notificationChannelKinds.find((k) => k === e.target.value) ?? 'webhook' })}>
              {notificationChannelKinds.map((k) => (
                <option key={k} value={k}>
                  {t(channelKindLabel[k])}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.kind === 'email' ? (
          <>
            {text('host', 'notifications.smtpHost')}
            {text('port', 'notifications.smtpPort')}
            {text('from', 'notifications.smtpFrom')}
            {text('user', 'notifications.smtpUser')}
            {text('password', 'notifications.smtpPassword', { type: 'password' })}
          </>
        ) : (
          <>
            {text('url', 'notifications.url', { hint: draft.kind === 'wecom' ? 'notifications.urlHintWecom' : draft.kind === 'dingtalk' ? 'notifications.urlHintDingtalk' : 'notifications.urlHintWebhook' })}
            {draft.kind === 'wecom' ? null : text('secret', 'notifications.secret', { type: 'password', hint: draft.kind === 'webhook' ? 'notifications.secretHintWebhook' : 'notifications.secretHintDingtalk' })}
          </>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || !draft.name.trim()}>
          {t('notifications.addChannel')}
        </button>
      </div>
    </form>
  );
}

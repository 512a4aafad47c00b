import { useState, type FormEvent, type ReactNode } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router/hash-router';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { AlarmApi } from './alarm-api';
import { isUnacknowledged, stateBadge, stateLabel, valueText } from './alarm-format';
import type { Alarm, AlarmEventKind } from './alarm-types';
import { SeverityBadge } from './severity-badge';
import { AlarmWorkOrder } from '../maintenance/alarm-work-order';

/** Props of {@link AlarmDialog}. */
export interface AlarmDialogProps {
  alarms: AlarmApi;
  id: string;
  /** The alarm as the list last read it, shown until the dialog's own read arrives. */
  initial?: Alarm | undefined;
  /** After an acknowledgement, assignment or comment, so the list reads again. */
  onChanged: () => void;
  onClose: () => void;
}

/** The label of each kind of alarm event. */
const eventLabel: Record<AlarmEventKind, MessageKey> = {
  raised: 'alarms.event.raised',
  cleared: 'alarms.event.cleared',
  acknowledged: 'alarms.event.acknowledged',
  assigned: 'alarms.event.assigned',
  escalated: 'alarms.event.escalated',
  shelved: 'alarms.event.shelved',
  unshelved: 'alarms.event.unshelved',
};

/** The alarm's facts as a description list. */
function AlarmFacts({ alarm }: { alarm: Alarm }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const rows: Array<[string, ReactNode]> = [
    [t('alarms.severity'), <SeverityBadge key="s" severity={alarm.severity} />],
    [t('alarms.state'), <span key="st" className={stateBadge[alarm.state]}>{t(stateLabel[alarm.state])}</span>],
    [
      t('alarms.device'),
      <Link key="d" to="/devices/:id" params={{ id: alarm.device }}>
        {alarm.device}
      </Link>,
    ],
    [t('alarms.raisedAt'), formatDateTime(alarm.raisedAt)],
    [t('alarms.lastAt'), formatDateTime(alarm.lastAt)],
    [t('alarms.clearedAtLabel'), alarm.clearedAt ? formatDateTime(alarm.clearedAt) : t('common.none')],
    [t('alarms.occurrences'), formatNumber(alarm.occurrences)],
    [t('alarms.value'), valueText(alarm.value) ?? t('common.none')],
    [t('alarms.reason'), alarm.reason || t('common.none')],
    [t('alarms.ackedByLabel'), alarm.ackedBy ? `${alarm.ackedBy} · ${alarm.ackedAt ? formatDateTime(alarm.ackedAt) : ''}` : t('common.none')],
  ];
  if (alarm.shelvedUntil) rows.push([t('alarms.shelvedLabel'), t('alarms.shelvedDetail', { time: formatDateTime(alarm.shelvedUntil), user: alarm.shelvedBy ?? t('common.none'), reason: alarm.shelveReason ?? '' })]);
  if (alarm.suppressed) rows.push([t('alarms.suppressedLabel'), t('alarms.suppressed')]);
  if (alarm.escalatedAt) rows.push([t('alarms.escalatedLabel'), formatDateTime(alarm.escalatedAt)]);
  return (
    <dl className="alarm-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * 告警详情: the alarm's facts, acknowledging it, its assignee (a username, or nobody) and its comments,
 * oldest first, with a box to add one — the changes for operators and up, the reading for everyone.
 */
export function AlarmDialog({ alarms, id, initial, onChanged, onClose }: AlarmDialogProps) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const manage = can(me.role, 'alarms.ack');
  const [version, setVersion] = useState(0);
  const alarm = useResource((signal) => alarms.getAlarm(id, { signal }), [alarms, id, version]);
  const comments = useResource((signal) => alarms.comments(id, { signal }), [alarms, id, version]);
  const events = useResource((signal) => alarms.events(id, { signal }), [alarms, id, version]);
  const [shelveMinutes, setShelveMinutes] = useState('60');
  const [shelveReason, setShelveReason] = useState('');
  const shown = alarm.data ?? initial;
  const [assignee, setAssignee] = useState<string>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const assigneeText = assignee ?? shown?.assignee ?? '';

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setVersion((v) => v + 1);
      onChanged();
      return true;
    } catch (cause) {
      setError(cause);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const addComment = async (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) return;
    if (await run(() => alarms.addComment(id, comment.trim()))) setComment('');
  };
  const shelve = async (event: FormEvent) => {
    event.preventDefault();
    if (!shelveReason.trim()) return;
    if (await run(() => alarms.shelve(id, Number(shelveMinutes), shelveReason.trim()))) setShelveReason('');
  };
  const shelvedNow = Boolean(shown?.shelvedUntil && Date.parse(shown.shelvedUntil) > Date.now());
  const saveAssignee = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => alarms.assign(id, assigneeText.trim() || null))) setAssignee(undefined);
  };

  return (
    <Dialog title={shown ? t('alarms.detailTitle', { rule: shown.ruleName, device: shown.device }) : t('alarms.details')} onClose={onClose} wide>
      {alarm.error && !shown ? <ErrorAlert error={alarm.error} onRetry={alarm.reload} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {shown ? <AlarmFacts alarm={shown} /> : null}
      {shown ? <AlarmWorkOrder alarm={shown.id} onCreated={() => setVersion((v) => v + 1)} /> : null}
      {shown && manage ? (
        <>
          {isUnacknowledged(shown) ? (
            <p>
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void run(() => alarms.acknowledge(id))}>
                {t('alarms.ack')}
              </button>
            </p>
          ) : null}
          {shelvedNow ? (
            <p>
              <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(() => alarms.unshelve(id))}>
                {t('alarms.unshelve')}
              </button>
            </p>
          ) : shown.active ? (
            <form className="alarm-shelve-form" aria-label={t('alarms.shelve')} onSubmit={(e) => void shelve(e)}>
              <Field label={t('alarms.shelveFor')}>
                {(control) => (
                  <select {...control} name="shelveMinutes" value={shelveMinutes} onChange={(e) => setShelveMinutes(e.target.value)}>
                    {[30, 60, 240, 480, 1440, 10080].map((m) => (
                      <option key={m} value={m}>
                        {t('alarms.shelveMinutes', { count: m })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('alarms.shelveReason')}>
                {(control) => <input {...control} name="shelveReason" maxLength={500} autoComplete="off" value={shelveReason} onChange={(e) => setShelveReason(e.target.value)} />}
              </Field>
              <button type="submit" className="button button-secondary" disabled={busy || !shelveReason.trim()}>
                {t('alarms.shelve')}
              </button>
            </form>
          ) : null}
          <form className="alarm-inline-form" onSubmit={(e) => void saveAssignee(e)}>
            <Field label={t('alarms.assignee')} hint={t('alarms.assigneeHint')}>
              {(control) => <input {...control} value={assigneeText} autoComplete="off" onChange={(e) => setAssignee(e.target.value)} />}
            </Field>
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t('alarms.assign')}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setAssignee(me.username)}>
              {t('alarms.assignMe')}
            </button>
          </form>
        </>
      ) : shown ? (
        <p>
          {t('alarms.assignee')}: {shown.assignee ?? t('common.none')}
        </p>
      ) : null}
      <section aria-labelledby={`alarm-events-${id}`}>
        <h3 className="alarm-subtitle" id={`alarm-events-${id}`}>
          {t('alarms.events')}
        </h3>
        <ol className="alarm-events" aria-busy={events.loading}>
          {(events.data ?? []).map((e) => (
            <li key={e.id}>
              {formatDateTime(e.at)} · {t(eventLabel[e.kind])}
              {e.actor ? ` · ${e.actor}` : ''}
              {e.quiet ? ` · ${t(e.quiet === 'shelved' ? 'alarms.quiet.shelved' : 'alarms.quiet.suppressed')}` : ''}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby={`alarm-comments-${id}`}>
        <h3 className="alarm-subtitle" id={`alarm-comments-${id}`}>
          {t('alarms.comments')}
        </h3>
        {comments.error ? <ErrorAlert error={comments.error} onRetry={comments.reload} /> : null}
        <ol className="alarm-comments" aria-busy={comments.loading}>
          {(comments.data ?? []).map((c) => (
            <li key={c.id}>
              <span className="cell-secondary">
                {c.author ?? t('common.none')} · {formatDateTime(c.ts)}
              </span>
              <p>{c.text}</p>
            </li>
          ))}
          {comments.data?.length === 0 ? <li className="cell-secondary">{t('alarms.noComments')}</li> : null}
        </ol>
        {manage ? (
          <form className="alarm-inline-form" onSubmit={(e) => void addComment(e)}>
            <Field label={t('alarms.newComment')}>
              {(control) => <textarea {...control} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />}
            </Field>
            <button type="submit" className="button button-primary" disabled={busy || !comment.trim()}>
              {t('alarms.addComment')}
            </button>
          </form>
        ) : null}
      </section>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

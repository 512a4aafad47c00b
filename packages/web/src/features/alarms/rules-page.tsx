import { useState } from 'react';
import { createJsonCaller } from '../../api/json-caller';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { kindLabel } from './alarm-format';
import { AlarmSections } from './alarm-sections';
import type { AlarmRule } from './alarm-types';
import { conditionSummary } from './rule-form';
import { RuleFormDialog } from './rule-form-dialog';
import { SeverityBadge } from './severity-badge';
import { useAlarmApi } from './use-alarm-api';

type Editing = { mode: 'create' } | { mode: 'edit'; rule: AlarmRule } | { mode: 'delete'; rule: AlarmRule };

/**
 * 告警规则: the enterprise's rules — what each watches and when it raises an alarm. Engineers and admins
 * create, change and delete them; a change takes effect at once (the rule's open alarms are cleared and
 * the new definition decides afresh).
 */
export function RulesPage() {
  const { t, formatNumber } = useI18n();
  const me = useMe();
  const api = useApi();
  const alarms = useAlarmApi();
  const manage = can(me.role, 'alarms.rules');
  const rules = useResource((signal) => alarms.listRules({ signal }), [alarms]);
  const devices = useResource((signal) => api.listDevices({ signal }), [api]);
  const profiles = useResource((signal) => createJsonCaller({ token: () => api.token() }).items<{ id: string; name: string }>('/api/v1/profiles', signal), [api]);
  const profileName = new Map((profiles.data ?? []).map((p) => [p.id, p.name]));
  const [editing, setEditing] = useState<Editing>();
  const [status, setStatus] = useState<string>();
  const items = rules.data ?? [];
  const deviceIds = (devices.data ?? []).map((d) => d.device);

  return (
    <>
      <PageHeader
        title={t('alarms.rulesTitle')}
        intro={t('alarms.rulesIntro')}
        actions={
          manage ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setStatus(undefined);
                setEditing({ mode: 'create' });
              }}
            >
              {t('alarms.newRule')}
            </button>
          ) : null
        }
      />
      <AlarmSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {editing?.mode === 'create' || editing?.mode === 'edit' ? (
        <RuleFormDialog
          alarms={alarms}
          rule={editing.mode === 'edit' ? editing.rule : undefined}
          devices={deviceIds}
          profiles={profiles.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(rule) => {
            setStatus(t(editing.mode === 'edit' ? 'alarms.ruleSaved' : 'alarms.ruleCreated', { name: rule.name }));
            setEditing(undefined);
            rules.reload();
          }}
        />
      ) : null}
      {editing?.mode === 'delete' ? (
        <ConfirmDialog
          title={t('alarms.deleteRule')}
          confirmLabel={t('alarms.deleteConfirm')}
          danger
          onClose={() => setEditing(undefined)}
          onConfirm={async () => {
            await alarms.deleteRule(editing.rule.id);
            setStatus(t('alarms.ruleDeleted', { name: editing.rule.name }));
            setEditing(undefined);
            rules.reload();
          }}
        >
          <p>{t('alarms.deleteText', { name: editing.rule.name })}</p>
        </ConfirmDialog>
      ) : null}
      <DataTable
        caption={t('alarms.rulesCaption')}
        count={t('alarms.ruleCount', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(r) => r.id}
        rowClassName={(r) => (r.enabled ? undefined : 'alarm-rule-disabled')}
        busy={rules.loading}
        error={rules.error}
        onRetry={rules.reload}
        empty={t('alarms.rulesEmpty')}
        columns={[
          { key: 'name', header: t('alarms.ruleName'), rowHeader: true, cell: (r) => r.name },
          { key: 'severity', header: t('alarms.severity'), className: 'nowrap', cell: (r) => <SeverityBadge severity={r.severity} /> },
          {
            key: 'device',
            header: t('alarms.device'),
            className: 'nowrap',
            cell: (r) =>
              r.device ? (
                <Link to="/devices/:id" params={{ id: r.device }}>
                  {r.device}
                </Link>
              ) : r.profile ? (
                t('alarms.profileOf', { name: profileName.get(r.profile) ?? r.profile })
              ) : (
                t('alarms.allDevices')
              ),
          },
          {
            key: 'condition',
            header: t('alarms.condition'),
            className: 'alarm-reason',
            cell: (r) => (
              <span className="stacked">
                <span>{t(kindLabel[r.condition.kind])}</span>
                <code className="cell-secondary">{conditionSummary(r.condition)}</code>
              </span>
            ),
          },
          { key: 'for', header: t('alarms.forSeconds'), className: 'numeric nowrap', cell: (r) => t('alarms.seconds', { count: formatNumber(r.forSeconds) }) },
          {
            key: 'enabled',
            header: t('alarms.enabled'),
            className: 'nowrap',
            cell: (r) => <span className={r.enabled ? 'badge badge-on' : 'badge badge-off'}>{r.enabled ? t('alarms.enabledYes') : t('alarms.enabledNo')}</span>,
          },
          manage && {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (r) => (
              <span className="row-actions">
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={t('alarms.editRuleOf', { name: r.name })}
                  onClick={() => {
                    setStatus(undefined);
                    setEditing({ mode: 'edit', rule: r });
                  }}
                >
                  {t('common.edit')}
                </button>
                <button
                  type="button"
                  className="button button-danger-outline button-small"
                  aria-label={t('alarms.deleteRuleOf', { name: r.name })}
                  onClick={() => {
                    setStatus(undefined);
                    setEditing({ mode: 'delete', rule: r });
                  }}
                >
                  {t('alarms.delete')}
                </button>
              </span>
            ),
          },
        ]}
      />
    </>
  );
}

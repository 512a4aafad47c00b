import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { type Assignee, assigneeChoices, reassign } from './assignee';
import type { MaintenanceApi, WorkOrder } from './maintenance-api';

/** Props of {@link AssigneeControl}. */
export interface AssigneeControlProps {
  maintenance: Pick<MaintenanceApi, 'updateOrder'>;
  order: WorkOrder;
  /** Who the order can go to (`GET /api/v1/work-orders/assignees`); until they are read (or if that fails) a username is typed. */
  users: readonly Assignee[] | undefined;
  onChanged: (order: WorkOrder) => void;
}

/**
 * 处理人: reassigns an open work order — a list of the enterprise's users (or, for roles that cannot list
 * users, a username typed as in 新建工单) and 重新指派; the server's refusal is shown with its code.
 */
export function AssigneeControl({ maintenance, order, users, onChanged }: AssigneeControlProps) {
  const { t } = useI18n();
  const [value, setValue] = useState(order.assignee ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const unchanged = value.trim() === (order.assignee ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await reassign(maintenance, order.id, value));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form assignee-form" aria-label={t('maintenance.reassignForm')} onSubmit={(e) => void submit(e)}>
      {error ? <ErrorAlert error={error} /> : null}
      <Field label={t('maintenance.assignee')} hint={users ? undefined : t('maintenance.assigneeHint')}>
        {(control) =>
          users ? (
            <select {...control} value={value} onChange={(e) => setValue(e.target.value)}>
              {assigneeChoices(users, order, t('maintenance.unassigned')).map((c) => (
                <option key={c.username} value={c.username}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input {...control} maxLength={128} value={value} onChange={(e) => setValue(e.target.value)} />
          )
        }
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={busy || unchanged} aria-busy={busy}>
          {t('maintenance.reassign')}
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { workOrderPriorities } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { DeviceSelect } from '../devices/device-select';
import type { MaintenanceApi, WorkOrder, WorkOrderPriority } from './maintenance-api';

/** Props of {@link NewWorkOrderDialog}. */
export interface NewWorkOrderDialogProps {
  maintenance: MaintenanceApi;
  /** The device, fixed (a device page) or chosen in the dialog (the work-order list). */
  device?: string;
  onCreated: (order: WorkOrder) => void;
  onClose: () => void;
}

/** 新建工单: a work order by hand — device, title, priority, description, assignee. */
export function NewWorkOrderDialog({ maintenance, device: fixedDevice, onCreated, onClose }: NewWorkOrderDialogProps) {
  const { t } = useI18n();
  const [device, setDevice] = useState(fixedDevice ?? '');
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<WorkOrderPriority>('normal');
  const [description, setDescription] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await maintenance.createOrder({ device, title: title.trim(), priority, ...(description.trim() ? { description: description.trim() } : {}), ...(assignee.trim() ? { assignee: assignee.trim() } : {}) }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('maintenance.newOrderTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        {fixedDevice ? null : <DeviceSelect label={t('maintenance.device')} value={device} onChange={setDevice} emptyLabel={t('maintenance.chooseDevice')} required />}
        <Field label={t('maintenance.orderTitle')}>{(control) => <input {...control} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}</Field>
        <Field label={t('maintenance.priority')}>
          {(control) => (
            <select {...control} value={priority} onChange={(e) => setPriority(e.target.value as WorkOrderPriority)}>
              {workOrderPriorities.map((p) => (
                <option key={p} value={p}>
                  {t(`maintenance.priority.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('maintenance.description')}>{(control) => <textarea {...control} rows={3} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        <Field label={t('maintenance.assignee')} hint={t('maintenance.assigneeHint')}>
          {(control) => <input {...control} maxLength={128} value={assignee} onChange={(e) => setAssignee(e.target.value)} />}
        </Field>
        <FormActions submitLabel={t('maintenance.create')} busy={busy} onCancel={onClose} disabled={!device || !title.trim()} />
      </form>
    </Dialog>
  );
}

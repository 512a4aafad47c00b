import { useState, type FormEvent } from 'react';
import type { PrefixAllocationDto } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import type { IdentifierApi, PrefixStep } from './identifier-api';

/** Props of {@link PrefixReviewDialog}. */
export interface PrefixReviewDialogProps {
  ids: IdentifierApi;
  prefix: PrefixAllocationDto;
  step: PrefixStep;
  onClose: () => void;
  onDone: (after: PrefixAllocationDto) => void;
}

/** Reject and suspend need a reason (the server says so too); approve and resume take one if given. */
const reasonRequired = (step: PrefixStep): boolean => step === 'reject' || step === 'suspend';

/**
 * A registrar's step on a prefix: 批准 (with an optional quota), 驳回 or 暂停 (with a reason), 恢复.
 */
export function PrefixReviewDialog({ ids, prefix, step, onClose, onDone }: PrefixReviewDialogProps) {
  const { t } = useI18n();
  const [quota, setQuota] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ quota?: string; reason?: string }>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: { quota?: string; reason?: string } = {};
    const n = Number(quota.replace(/[,\s]/g, ''));
    if (step === 'approve' && quota.trim() && (!Number.isSafeInteger(n) || n < 1)) found.quota = t('identifiers.quotaInvalid');
    if (reasonRequired(step) && !reason.trim()) found.reason = t('validation.required');
    setProblem(found);
    if (found.quota || found.reason) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = step === 'approve' ? { ...(quota.trim() ? { quota: n } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) } : reason.trim() ? { reason: reason.trim() } : {};
      onDone(await ids.reviewPrefix(prefix.prefix, step, body));
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t(`identifiers.review.${step}Title`, { prefix: prefix.prefix })} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="dialog-text">{t(`identifiers.review.${step}Text`, { prefix: prefix.prefix, org: prefix.orgName })}</p>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-grid">
          {step === 'approve' ? (
            <Field label={t('identifiers.quota')} hint={t('identifiers.quotaHint')} error={problem.quota}>
              {(control) => <input {...control} name="quota" inputMode="numeric" value={quota} onChange={(e) => setQuota(e.target.value)} />}
            </Field>
          ) : null}
          <Field label={reasonRequired(step) ? `${t('identifiers.reason')} *` : t('identifiers.reason')} error={problem.reason}>
            {(control) => <textarea {...control} name="reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        </div>
        <FormActions submitLabel={t(`identifiers.review.${step}`)} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

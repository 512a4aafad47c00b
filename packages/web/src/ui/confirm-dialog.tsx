import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { Dialog } from './dialog';
import { ErrorAlert } from './error-alert';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** A red confirm button, for what cannot be undone. */
  danger?: boolean;
  onClose: () => void;
  /** Performs the action; a rejection is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
}

/**
 * Asks before an action such as deleting a gateway or replacing its token. The confirm button is
 * disabled while the action runs; a failure shows under the question.
 *
 * @example
 * <ConfirmDialog title={t('gateways.delete')} confirmLabel={t('gateways.deleteConfirm')} danger onClose={close} onConfirm={remove}>…</ConfirmDialog>
 */
export function ConfirmDialog({ title, children, confirmLabel, danger = false, onClose, onConfirm }: ConfirmDialogProps) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-text">{children}</div>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-actions">
        <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

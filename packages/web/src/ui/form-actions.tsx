import { useI18n } from '../i18n';

/**
 * The submit and cancel buttons under every form and dialog form. While `busy`, the submit button is
 * disabled and, unless `keepLabelWhileBusy`, says 保存中… / Saving…; `disabled` disables it without that
 * label (a form not complete yet). `form` names the form by id when the
 * buttons sit outside it (a page whose form is split by sections holding dialogs of their own).
 */
export function FormActions(props: { submitLabel: string; busy: boolean; onCancel?: (() => void) | undefined; keepLabelWhileBusy?: boolean; form?: string; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={props.busy || props.disabled === true} form={props.form}>
        {props.busy && !props.keepLabelWhileBusy ? t('common.saving') : props.submitLabel}
      </button>
      {props.onCancel ? (
        <button type="button" className="button button-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      ) : null}
    </div>
  );
}

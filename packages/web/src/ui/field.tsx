import { useId, type ReactNode } from 'react';

/** The props a {@link Field} hands to its control: bind them so the label and the hint belong to it. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
}

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  /** A short rule shown under the control and read out with it, e.g. "至少 8 个字符". */
  hint?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled form control. The label holds only the label text, so the control's accessible name is
 * exactly that text; the hint is attached with `aria-describedby`.
 *
 * @example
 * <Field label={t('users.password')} hint={t('users.passwordHint')}>
 *   {(control) => <input {...control} type="password" />}
 * </Field>
 */
export function Field({ label, hint, children }: FieldProps) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(hint ? { id, 'aria-describedby': hintId } : { id })}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

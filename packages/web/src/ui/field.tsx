import { useId, type ReactNode } from 'react';

/** The props a {@link Field} hands to its control: bind them so the label, hint and error belong to it. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  /** A short rule shown under the control and read out with it, e.g. "至少 8 个字符". */
  hint?: string;
  /** What is wrong with the value, already localised; marks the control invalid. */
  error?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled form control. The label holds only the label text, so the control's accessible name is
 * exactly that text; the hint and the error are attached with `aria-describedby`.
 *
 * @example
 * <Field label={t('users.password')} hint={t('users.passwordHint')} error={errors.password && t(errors.password)}>
 *   {(control) => <input {...control} type="password" />}
 * </Field>
 */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : undefined, hint ? hintId : undefined].filter(Boolean).join(' ');
  const control: FieldControlProps = { id };
  if (describedBy) control['aria-describedby'] = describedBy;
  if (error) control['aria-invalid'] = true;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(control)}
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

import { useCallback, useState } from 'react';
import { flushSync } from 'react-dom';
import type { MessageKey } from '../i18n';

/**
 * The browser-side checks of the console's forms. They mirror the rules of the schemas in
 * `@yulian/contracts` (which the console cannot import without pulling zod into the bundle), so a
 * person learns what is wrong in their language before anything is sent; the server checks again.
 */

/** Usernames: 2–64 letters, digits, dots, underscores or dashes, starting with a letter or digit. */
export const usernamePattern = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;
/** Enterprise codes: letters, digits, dots, underscores or dashes, starting with a letter or digit. */
export const enterpriseCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The shortest password the server accepts. */
export const minPasswordLength = 8;

/** A check: the message key of what is wrong, or undefined when the value is fine. */
export type Check = (value: string) => MessageKey | undefined;

/** A value other than white space. */
export const required: Check = (value) => (value.trim() === '' ? 'validation.required' : undefined);

/** A username the server will accept. */
export const validUsername: Check = (value) =>
  required(value) ?? (usernamePattern.test(value.trim()) ? undefined : 'validation.username');

/** A password of at least {@link minPasswordLength} characters. */
export const validPassword: Check = (value) =>
  value === '' ? 'validation.required' : value.length < minPasswordLength ? 'validation.passwordLength' : undefined;

/** The repeated password: required, and equal to `password`. */
export const matches =
  (password: string): Check =>
  (value) =>
    value === '' ? 'validation.required' : value === password ? undefined : 'validation.passwordMismatch';

/** An enterprise code: 2–64 characters of {@link enterpriseCodePattern}. */
export const validEnterpriseCode: Check = (value) => {
  const code = value.trim();
  if (code === '') return 'validation.required';
  return code.length >= 2 && code.length <= 64 && enterpriseCodePattern.test(code) ? undefined : 'validation.enterpriseCode';
};

/** The message key of each field that is wrong; fields that are fine are absent. */
export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

/** Runs each field's check on its value; fields without a check are not checked. */
export function checkAll<F extends string>(checks: Partial<Record<F, MessageKey | undefined>>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const field of Object.keys(checks) as F[]) {
    const error = checks[field];
    if (error) errors[field] = error;
  }
  return errors;
}

/** What {@link useFieldErrors} hands back. */
export interface FieldErrorsState<F extends string> {
  errors: FieldErrors<F>;
  /**
   * Shows `found` next to the fields and moves focus to the first invalid control in `form`.
   * True when nothing was wrong, so the form may be sent.
   */
  accept: (form: HTMLFormElement, found: FieldErrors<F>) => boolean;
  /** Forgets the error of `field`, e.g. once the person edits it. */
  clear: (field: F) => void;
}

/**
 * The per-field errors of a form.
 *
 * @example
 * const { errors, accept, clear } = useFieldErrors<'username' | 'password'>();
 * if (!accept(event.currentTarget, checkAll({ username: validUsername(username) }))) return;
 */
export function useFieldErrors<F extends string>(): FieldErrorsState<F> {
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const accept = useCallback((form: HTMLFormElement, found: FieldErrors<F>): boolean => {
    // Render the messages now so the focused control is already described by its error.
    flushSync(() => setErrors(found));
    if (Object.keys(found).length === 0) return true;
    form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    return false;
  }, []);
  const clear = useCallback((field: F) => {
    setErrors((previous) => {
      if (!previous[field]) return previous;
      const next = { ...previous };
      delete next[field];
      return next;
    });
  }, []);
  return { errors, accept, clear };
}

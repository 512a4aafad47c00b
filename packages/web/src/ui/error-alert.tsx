import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

/** Props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  error: unknown;
  /** Shown as a button when given, e.g. to load a page again. */
  onRetry?: () => void;
  retryLabel?: string;
}

/**
 * An API error as the user should read it: the localised meaning of its code in bold, then the
 * server's own message (which names the offending field for validation errors) and the code.
 */
export function ErrorAlert({ error, onRetry, retryLabel }: ErrorAlertProps) {
  const { t, has } = useI18n();
  const apiError =
    error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', error instanceof Error ? error.message : String(error));
  const key = `error.${apiError.code}`;
  const headline = has(key) ? t(key) : apiError.message;
  const detail = headline === apiError.message ? undefined : apiError.message;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-headline">{headline}</p>
      {detail ? <p className="alert-detail">{detail}</p> : null}
      <p className="alert-code">
        {t('error.code')}: <code>{apiError.code}</code>
      </p>
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {retryLabel ?? t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';

/**
 * Puts text on the clipboard. The Clipboard API needs a secure context (HTTPS or localhost); a console
 * opened over plain HTTP on the plant network falls back to the older copy command on a hidden text area.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (no user gesture, or a policy): try the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  // Inside an open modal dialog, so that the selection is allowed there.
  (document.querySelector('dialog[open]') ?? document.body).append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  text: string;
  /** The button's accessible name, e.g. "复制令牌". */
  label: string;
}

/** A button that copies `text` and says, politely, whether it did. */
export function CopyButton({ text, label }: CopyButtonProps) {
  const { t } = useI18n();
  const [result, setResult] = useState<'copied' | 'failed'>();
  useEffect(() => {
    if (!result) return undefined;
    const timer = setTimeout(() => setResult(undefined), 4_000);
    return () => clearTimeout(timer);
  }, [result]);
  return (
    <span className="copy-button">
      <button type="button" className="button button-secondary button-small" onClick={() => void copyText(text).then((ok) => setResult(ok ? 'copied' : 'failed'))}>
        {label}
      </button>
      <span className="copy-result" role="status">
        {result === 'copied' ? t('common.copied') : result === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}

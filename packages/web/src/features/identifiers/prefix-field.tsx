import { useId } from 'react';
import { useI18n } from '../../i18n';
import { Field } from '../../ui/field';

/** Props of {@link PrefixField}. */
export interface PrefixFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** Approved prefixes offered as suggestions; any other may be typed. */
  prefixes: readonly string[];
  required?: boolean;
  error?: string | undefined;
}

/** 前缀: a text box suggesting the approved prefixes the user may use (88.100.1, …). */
export function PrefixField({ value, onChange, prefixes, required = false, error }: PrefixFieldProps) {
  const { t } = useI18n();
  const listId = useId();
  return (
    <Field label={required ? `${t('identifiers.prefix')} *` : t('identifiers.prefix')} error={error}>
      {(control) => (
        <>
          <input {...control} name="prefix" className="input-mono" autoComplete="off" spellCheck={false} list={listId} value={value} onChange={(e) => onChange(e.target.value)} />
          <datalist id={listId}>
            {prefixes.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

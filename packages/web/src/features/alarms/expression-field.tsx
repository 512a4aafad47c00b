import { useI18n } from '../../i18n';
import { Field } from '../../ui/field';
import { markPosition } from './expression-position';

/** Props of {@link ExpressionField}. */
export interface ExpressionFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** What is wrong, already localised. */
  error?: string | undefined;
  /** Where the server found the mistake (0-based character), shown under the field. */
  position?: number | undefined;
}

/**
 * The expression of a rule. When the server refuses it at a position, the expression as sent is shown
 * under the field with that character highlighted, a caret under it, and the line and column in words.
 */
export function ExpressionField({ value, onChange, error, position }: ExpressionFieldProps) {
  const { t } = useI18n();
  const marked = position === undefined ? undefined : markPosition(value, position);
  return (
    <div className="alarm-expression">
      <Field label={t('alarms.expression')} hint={t('alarms.expressionHint')} error={error}>
        {(control) => (
          <textarea
            {...control}
            name="expression"
            className="input-mono"
            rows={3}
            spellCheck={false}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </Field>
      {marked ? (
        <figure className="alarm-position" data-position={position}>
          <figcaption>{t('alarms.positionAt', { line: marked.line, column: marked.column, char: marked.at.trim() ? marked.at : t('alarms.positionEnd') })}</figcaption>
          <pre aria-hidden="true">
            {marked.before}
            <mark className="alarm-position-char">{marked.at}</mark>
            {marked.after}
            {'\n'}
            <span className="alarm-position-caret">{marked.caret}</span>
          </pre>
        </figure>
      ) : null}
    </div>
  );
}

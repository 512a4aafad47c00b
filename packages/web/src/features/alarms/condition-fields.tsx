import { useI18n } from '../../i18n';
import { Field } from '../../ui/field';
import { kindLabel } from './alarm-format';
import { comparisons, conditionKinds, type Comparison, type ConditionKind } from './alarm-types';
import { ExpressionField } from './expression-field';
import type { ConditionForm } from './rule-form';

/** Props of {@link ConditionFields}. */
export interface ConditionFieldsProps {
  form: ConditionForm;
  onChange: (patch: Partial<ConditionForm>) => void;
  /** Localised problems by field path (`condition.value`, …). */
  errorOf: (field: string) => string | undefined;
  /** The server's position in the expression, when it refused one. */
  position?: number | undefined;
}

/** The kind of condition and the fields of that kind: point, comparison, value, range, rate, silence or expression. */
export function ConditionFields({ form, onChange, errorOf, position }: ConditionFieldsProps) {
  const { t } = useI18n();
  const number = (field: 'value' | 'deadband' | 'min' | 'max' | 'perSeconds' | 'seconds', label: string, hint?: string) => (
    <Field label={label} hint={hint} error={errorOf(`condition.${field}`)}>
      {(control) => <input {...control} name={field} inputMode="decimal" autoComplete="off" value={form[field]} onChange={(e) => onChange({ [field]: e.target.value })} />}
    </Field>
  );
  const point = (optional: boolean) => (
    <Field label={optional ? t('alarms.pointOptional') : t('alarms.point')} hint={t('alarms.pointHint')} error={errorOf('condition.point')}>
      {(control) => <input {...control} name="point" className="input-mono" autoComplete="off" spellCheck={false} value={form.point} onChange={(e) => onChange({ point: e.target.value })} />}
    </Field>
  );
  const op = (
    <Field label={t('alarms.op')}>
      {(control) => (
        <select {...control} name="op" value={form.op} onChange={(e) => onChange({ op: comparisons.find((c) => c === e.target.value) ?? ('>' satisfies Comparison) })}>
          {comparisons.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <Field label={t('alarms.kind')} error={errorOf('condition.kind') ?? errorOf('condition')}>
        {(control) => (
          <select {...control} name="kind" value={form.kind} onChange={(e) => onChange({ kind: conditionKinds.find((k) => k === e.target.value) ?? ('threshold' satisfies ConditionKind) })}>
            {conditionKinds.map((k) => (
              <option key={k} value={k}>
                {t(kindLabel[k])}
              </option>
            ))}
          </select>
        )}
      </Field>
      {form.kind === 'threshold' ? (
        <>
          {point(false)}
          {op}
          {number('value', t('alarms.value'))}
          {number('deadband', t('alarms.deadband'), t('alarms.deadbandHint'))}
        </>
      ) : null}
      {form.kind === 'range' ? (
        <>
          {point(false)}
          {number('min', t('alarms.min'))}
          {number('max', t('alarms.max'))}
          {number('deadband', t('alarms.deadband'), t('alarms.deadbandHint'))}
          <label className="checkbox-field">
            <input type="checkbox" name="inside" checked={form.inside} onChange={(e) => onChange({ inside: e.target.checked })} />
            {t('alarms.inside')}
          </label>
        </>
      ) : null}
      {form.kind === 'rate' ? (
        <>
          {point(false)}
          {op}
          {number('value', t('alarms.rateValue'))}
          {number('perSeconds', t('alarms.perSeconds'), t('alarms.perSecondsHint'))}
        </>
      ) : null}
      {form.kind === 'noData' ? (
        <>
          {point(true)}
          {number('seconds', t('alarms.noDataSeconds'))}
        </>
      ) : null}
      {form.kind === 'expression' ? (
        <ExpressionField value={form.expression} onChange={(expression) => onChange({ expression })} error={errorOf('condition.expression')} position={position} />
      ) : null}
      {form.kind === 'anomaly' ? (
        <>
          {point(false)}
          <Field label={t('alarms.sensitivity')} hint={t('alarms.sensitivityHint')} error={errorOf('condition.sensitivity')}>
            {(control) => <input {...control} name="sensitivity" inputMode="decimal" autoComplete="off" value={form.sensitivity} onChange={(e) => onChange({ sensitivity: e.target.value })} />}
          </Field>
        </>
      ) : null}
    </>
  );
}

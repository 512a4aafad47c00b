import { useId } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import type { FieldErrors } from '../../ui/form-validation';
import { Field } from '../../ui/field';
import type { ModbusConnectionField, ModbusConnectionValues } from './modbus-connection';

/** Props of {@link ModbusConnectionFields}. */
export interface ModbusConnectionFieldsProps {
  values: ModbusConnectionValues;
  onChange: (field: ModbusConnectionField, value: string) => void;
  /** The browser's findings, by field. */
  errors: FieldErrors<ModbusConnectionField>;
  /** What the server said about a field at the last submit, as it said it. */
  serverErrors: Partial<Record<ModbusConnectionField, string>>;
}

interface FieldSpec {
  field: ModbusConnectionField;
  label: MessageKey;
  hint?: MessageKey;
  numeric?: boolean;
}

const main: readonly FieldSpec[] = [
  { field: 'id', label: 'modbus.id', hint: 'modbus.idHint' },
  { field: 'name', label: 'modbus.name' },
  { field: 'host', label: 'modbus.host', hint: 'modbus.hostHint' },
  { field: 'port', label: 'modbus.port', numeric: true },
  { field: 'unitId', label: 'modbus.unitId', hint: 'modbus.unitIdHint', numeric: true },
  { field: 'pollIntervalMs', label: 'modbus.pollInterval', hint: 'modbus.pollIntervalHint', numeric: true },
];
const advanced: readonly FieldSpec[] = [
  { field: 'timeoutMs', label: 'modbus.timeout', hint: 'modbus.timeoutHint', numeric: true },
  { field: 'maxGap', label: 'modbus.maxGap', hint: 'modbus.maxGapHint', numeric: true },
  { field: 'maxRegisters', label: 'modbus.maxRegisters', hint: 'modbus.maxRegistersHint', numeric: true },
];

/** 连接: a Modbus TCP device's id, name, address and polling; timeouts and request sizes under 高级. */
export function ModbusConnectionFields({ values, onChange, errors, serverErrors }: ModbusConnectionFieldsProps) {
  const { t } = useI18n();
  const titleId = useId();
  const render = (spec: FieldSpec) => {
    const error = errors[spec.field];
    return (
      <Field key={spec.field} label={t(spec.label)} hint={spec.hint ? t(spec.hint) : undefined} error={error ? t(error) : serverErrors[spec.field]}>
        {(control) => (
          <input
            {...control}
            name={spec.field}
            autoComplete="off"
            inputMode={spec.numeric ? 'numeric' : undefined}
            required={spec.field === 'id' || spec.field === 'host'}
            value={values[spec.field]}
            onChange={(e) => onChange(spec.field, e.target.value)}
          />
        )}
      </Field>
    );
  };
  // Open the advanced fields when one of them is wrong, so its message is seen.
  const advancedOpen = advanced.some((s) => errors[s.field] ?? serverErrors[s.field]);
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        {t('modbus.connection')}
      </h2>
      <div className="form-grid">{main.map(render)}</div>
      <details className="advanced" open={advancedOpen || undefined}>
        <summary>{t('modbus.advanced')}</summary>
        <div className="form-grid">{advanced.map(render)}</div>
      </details>
    </section>
  );
}

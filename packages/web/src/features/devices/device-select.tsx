import { useResource } from '../../api/use-resource';
import { Field } from '../../ui/field';
import { useApi } from '../auth/session-context';

/** Props of {@link DeviceSelect}. */
export interface DeviceSelectProps {
  label: string;
  value: string;
  onChange: (device: string) => void;
  /** The first option's text, for the empty value ("全部设备", "请选择设备"). */
  emptyLabel: string;
  required?: boolean;
  hint?: string;
}

/**
 * A labelled select of the enterprise's devices (`id · name`), read once: the filter of a list, or the
 * device of a new rule, work order or schedule.
 */
export function DeviceSelect({ label, value, onChange, emptyLabel, required = false, hint }: DeviceSelectProps) {
  const api = useApi();
  const devices = useResource((signal) => api.listDevices({ signal }), [api]);
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(control) => (
        <select {...control} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{emptyLabel}</option>
          {(devices.data ?? []).map((d) => (
            <option key={d.device} value={d.device}>
              {d.name && d.name !== d.device ? `${d.device} · ${d.name}` : d.device}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

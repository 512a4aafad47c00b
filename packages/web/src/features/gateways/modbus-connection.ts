import type { MessageKey } from '../../i18n';
import type { FieldErrors } from '../../ui/form-validation';
import { isValidHost, normaliseHost } from './host';

/**
 * The connection of a Modbus TCP device as the form holds it (text, as typed) and its checks, which
 * mirror `modbusDeviceSchema` of `@yulian/gateway`: the server checks again.
 */

/** The form's connection fields. */
export interface ModbusConnectionValues {
  id: string;
  name: string;
  host: string;
  port: string;
  unitId: string;
  pollIntervalMs: string;
  timeoutMs: string;
  maxGap: string;
  maxRegisters: string;
}

/** A connection field. */
export type ModbusConnectionField = keyof ModbusConnectionValues;

/** The defaults of `modbusDeviceSchema`. */
export const modbusConnectionDefaults: ModbusConnectionValues = {
  id: '',
  name: '',
  host: '',
  port: '502',
  unitId: '1',
  pollIntervalMs: '1000',
  timeoutMs: '1000',
  maxGap: '8',
  maxRegisters: '125',
};

/** A device id: the contracts' `deviceIdSchema` (letters, digits, `_ . - : /`, 1–128). */
export const deviceIdPattern = /^[A-Za-z0-9_.:/-]{1,128}$/;

/** The integer fields: their range and the message when a value is outside it. */
const integerFields: Record<Exclude<ModbusConnectionField, 'id' | 'name' | 'host'>, { min: number; max: number; message: MessageKey }> = {
  port: { min: 1, max: 65535, message: 'validation.port' },
  unitId: { min: 0, max: 255, message: 'validation.unitId' },
  pollIntervalMs: { min: 100, max: 86_400_000, message: 'validation.pollInterval' },
  timeoutMs: { min: 50, max: 60_000, message: 'validation.timeout' },
  maxGap: { min: 0, max: 125, message: 'validation.maxGap' },
  maxRegisters: { min: 1, max: 125, message: 'validation.maxRegisters' },
};

const integerIn = (text: string, min: number, max: number): boolean => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max;
};

/** What is wrong with each field; fine fields are absent. */
export function checkModbusConnection(values: ModbusConnectionValues): FieldErrors<ModbusConnectionField> {
  const errors: FieldErrors<ModbusConnectionField> = {};
  const id = values.id.trim();
  if (id === '') errors.id = 'validation.required';
  else if (!deviceIdPattern.test(id)) errors.id = 'validation.deviceId';
  const host = values.host.trim();
  if (host === '') errors.host = 'validation.required';
  else if (!isValidHost(host)) errors.host = 'validation.host';
  for (const [field, rule] of Object.entries(integerFields) as Array<[keyof typeof integerFields, (typeof integerFields)[keyof typeof integerFields]]>) {
    if (!integerIn(values[field], rule.min, rule.max)) errors[field] = rule.message;
  }
  return errors;
}

/** The configuration fields of the connection, once {@link checkModbusConnection} found nothing wrong. */
export function modbusConnectionConfig(values: ModbusConnectionValues): Record<string, unknown> {
  return {
    id: values.id.trim(),
    name: values.name.trim(),
    protocol: 'modbus-tcp',
    host: normaliseHost(values.host),
    port: Number(values.port),
    unitId: Number(values.unitId),
    pollIntervalMs: Number(values.pollIntervalMs),
    timeoutMs: Number(values.timeoutMs),
    maxGap: Number(values.maxGap),
    maxRegisters: Number(values.maxRegisters),
  };
}

import { type CommandRequest, type CommandValue, type DeviceAction, type Point, deviceActionSchema, pointSchema, readBackTolerance } from '@yulian/contracts';
import { YulianError } from '@yulian/core';

/** What a command resolves to once every interlock but the rate limit and the gateway has passed. */
export interface ValidatedCommand {
  point: Point;
  /** The named action it came from, if any. */
  action: string | null;
  /** The value to write, coerced to the point's type (0/1 → boolean for a bool point). */
  value: CommandValue;
  /** How far a numeric read-back may differ (see `readBackTolerance`); undefined for bool and string. */
  tolerance: number | undefined;
}

/** The points and actions of a device configuration as stored (`config.points`, `config.actions`). */
export interface CommandableDevice {
  id: string;
  points: Point[];
  actions: DeviceAction[];
}

const rawLimits: Partial<Record<Point['dataType'], [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
};

/**
 * The points and actions of a stored device configuration; entries that do not parse are left out
 * (the gateway would not run them either).
 */
export function commandableDevice(id: string, config: Record<string, unknown>): CommandableDevice {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const points = list(config['points']).flatMap((p) => {
    const r = pointSchema.safeParse(p);
    return r.success ? [r.data] : [];
  });
  const actions = list(config['actions']).flatMap((a) => {
    const r = deviceActionSchema.safeParse(a);
    return r.success ? [r.data] : [];
  });
  return { id, points, actions };
}

/** False for read-only points and for Modbus points in the read-only tables (discrete inputs, input registers). */
export const isWritable = (p: Point): boolean => p.access === 'read-write' && p.modbus?.table !== 'discrete' && p.modbus?.table !== 'input';

const rangeText = (p: Point): string => `${p.min ?? '−∞'}…${p.max ?? '∞'}${p.unit ? ` ${p.unit}` : ''}`;

/**
 * The value a point takes, or why not: the data type (COMMAND_VALUE_INVALID), the engineering range
 * `min`…`max` and what the type can hold after scaling (VALUE_OUT_OF_RANGE, details `{min, max}`).
 * @example checkValue({ key: 'sp', dataType: 'float32', min: 0, max: 100, … }, 150) // throws VALUE_OUT_OF_RANGE "… range 0…100"
 */
export function checkValue(p: Point, value: CommandValue): CommandValue {
  if (p.dataType === 'bool') {
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    throw new YulianError('COMMAND_VALUE_INVALID', `${p.key} is a bool point: send true or false (or 1/0), not ${JSON.stringify(value)}.`);
  }
  if (p.dataType === 'string') {
    if (typeof value !== 'string') throw new YulianError('COMMAND_VALUE_INVALID', `${p.key} is a string point: send a string, not ${JSON.stringify(value)}.`);
    const maxChars = p.modbus?.length !== undefined ? p.modbus.length * 2 : undefined;
    if (maxChars !== undefined && value.length > maxChars) throw new YulianError('VALUE_OUT_OF_RANGE', `${p.key} holds at most ${maxChars} characters; nothing was written.`, { details: { maxLength: maxChars } });
    return value;
  }
  if (typeof value !== 'number') throw new YulianError('COMMAND_VALUE_INVALID', `${p.key} is a ${p.dataType} point: send a number, not ${JSON.stringify(value)}.`);
  if ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max)) {
    throw new YulianError('VALUE_OUT_OF_RANGE', `${value} is outside ${p.key}'s engineering range ${rangeText(p)}; nothing was written.`, { details: { min: p.min ?? null, max: p.max ?? null, unit: p.unit } });
  }
  const limits = rawLimits[p.dataType];
  if (limits) {
    const raw = (value - p.offset) / p.multiplier;
    const rounded = p.dataType === 'float32' ? raw : Math.round(raw);
    if (rounded < limits[0] || rounded > limits[1]) {
      const [lo, hi] = limits.map((l) => Number((l * p.multiplier + p.offset).toPrecision(12))).sort((a, b) => a - b);
      throw new YulianError('VALUE_OUT_OF_RANGE', `${value} does not fit ${p.key} (${p.dataType}, scaled: ${lo}…${hi}); nothing was written.`, { details: { min: lo ?? null, max: hi ?? null, unit: p.unit } });
    }
  }
  return value;
}

/**
 * Resolves a request (point + value, or a named action) against a device and checks it: the point
 * exists (POINT_NOT_FOUND / ACTION_NOT_FOUND), is writable (POINT_NOT_WRITABLE), the value fits
 * ({@link checkValue}), and a critical point or action carries `confirm: true` (CONFIRMATION_REQUIRED).
 * Pure: the caller checks the rate limit and the gateway, and writes nothing when this throws.
 */
export function validateCommand(device: CommandableDevice, request: CommandRequest): ValidatedCommand {
  let action: DeviceAction | undefined;
  let key: string;
  let value: CommandValue;
  if ('action' in request) {
    action = device.actions.find((a) => a.name === request.action);
    if (!action) {
      const names = device.actions.map((a) => a.name);
      throw new YulianError('ACTION_NOT_FOUND', `Device ${device.id} has no action ${request.action}${names.length ? `; it has ${names.join(', ')}` : ''}.`);
    }
    key = action.point;
    value = action.value;
  } else {
    key = request.point;
    value = request.value;
  }
  const point = device.points.find((p) => p.key === key);
  if (!point) throw new YulianError('POINT_NOT_FOUND', `Device ${device.id} has no point ${key}.`);
  if (!isWritable(point)) throw new YulianError('POINT_NOT_WRITABLE', `${key} of ${device.id} is read-only; commands cannot write it.`);
  const checked = checkValue(point, value);
  if ((point.critical || action?.critical) && request.confirm !== true) {
    throw new YulianError('CONFIRMATION_REQUIRED', `${action ? `Action ${action.name}` : key} of ${device.id} is critical: check the value (${JSON.stringify(checked)}) and send the command again with "confirm": true.`, {
      details: { point: key, value: checked, ...(action ? { action: action.name } : {}) },
    });
  }
  return { point, action: action?.name ?? null, value: checked, tolerance: typeof checked === 'number' ? readBackTolerance(point, checked) : undefined };
}

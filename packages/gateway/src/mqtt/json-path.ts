import { deviceIdPart } from './device-ids.js';

/** A compiled JSON path: property names and array indexes. */
export type JsonPath = readonly (string | number)[];

const segment = /^([^.[\]]+)((?:\[\d+\])*)$/;

/** Compiles `values.temp`, `readings[0].v`, `$.a.b` or `$` (the whole payload); undefined when malformed. */
export function compileJsonPath(path: string): JsonPath | undefined {
  const body = path === '$' ? '' : path.startsWith('$.') ? path.slice(2) : path;
  if (body === '') return path === '$' ? [] : undefined;
  const out: (string | number)[] = [];
  for (const part of body.split('.')) {
    const m = segment.exec(part);
    if (!m) return undefined;
    out.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** True when {@link compileJsonPath} accepts the path. */
export const isJsonPath = (path: string): boolean => compileJsonPath(path) !== undefined;

/** The value at a path, undefined when any step is missing. */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[step];
    } else {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[step];
    }
  }
  return v;
}

/** How many `+` levels a topic filter has. */
export const plusCount = (filter: string): number => filter.split('/').filter((l) => l === '+').length;

/** A compiled topic filter: matches a topic and returns the segments its `+` levels matched. */
export function compileTopicFilter(filter: string): (levels: readonly string[]) => string[] | undefined {
  const parts = filter.split('/');
  const hash = parts.at(-1) === '#';
  const fixed = hash ? parts.slice(0, -1) : parts;
  return (levels) => {
    if (hash ? levels.length < fixed.length : levels.length !== fixed.length) return undefined;
    // MQTT: a filter starting with a wildcard does not match topics starting with $ ($SYS …).
    if ((parts[0] === '+' || parts[0] === '#') && levels[0]?.startsWith('$')) return undefined;
    const captured: string[] = [];
    for (let i = 0; i < fixed.length; i++) {
      const f = fixed[i];
      const l = levels[i] as string;
      if (f === '+') captured.push(l);
      else if (f !== l) return undefined;
    }
    return captured;
  };
}

/** A device id source: segments of the topic, a payload field, or a fixed id. */
export type DeviceTemplate =
  | { kind: 'template'; parts: readonly (string | number)[]; maxIndex: number }
  | { kind: 'payload'; path: JsonPath }
  | { kind: 'fixed'; id: string };

/** Parses a mapping's `device`; a string is the reason it is not valid. */
export function parseDeviceTemplate(device: string): DeviceTemplate | string {
  if (device.startsWith('$.')) {
    const path = compileJsonPath(device);
    return path ? { kind: 'payload', path } : 'a payload path such as $.meta.deviceId';
  }
  const parts: (string | number)[] = [];
  let maxIndex = 0;
  let last = 0;
  for (const m of device.matchAll(/\{(\d+)\}/g)) {
    const index = Number(m[1]);
    if (index < 1) return '{0} is not a wildcard; they count from {1}';
    if (m.index > last) parts.push(device.slice(last, m.index));
    parts.push(index);
    maxIndex = Math.max(maxIndex, index);
    last = m.index + m[0].length;
  }
  if (last < device.length) parts.push(device.slice(last));
  for (const p of parts) if (typeof p === 'string' && !/^[A-Za-z0-9_.:/-]+$/.test(p)) return `"${p}" may only hold letters, digits and _ . : / -`;
  return maxIndex === 0 ? { kind: 'fixed', id: device } : { kind: 'template', parts, maxIndex };
}

/** The device id a message belongs to; undefined when the payload lacks the id field. */
export function resolveDevice(template: DeviceTemplate, captured: readonly string[], payload: unknown): string | undefined {
  switch (template.kind) {
    case 'fixed':
      return template.id;
    case 'template':
      return template.parts.map((p) => (typeof p === 'number' ? deviceIdPart(captured[p - 1] ?? '') : p)).join('');
    case 'payload': {
      const v = readJsonPath(payload, template.path);
      return (typeof v === 'string' && v !== '') || typeof v === 'number' ? deviceIdPart(String(v)) : undefined;
    }
  }
}

/** Fills `{device}` and `{1}` … of a command topic. */
export const fillTopic = (template: string, device: string, captured: readonly string[]): string =>
  template.replace(/\{(device|\d+)\}/g, (_, k: string) => (k === 'device' ? device : (captured[Number(k) - 1] ?? '')));

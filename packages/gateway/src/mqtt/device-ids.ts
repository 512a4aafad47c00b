/** What a device id of an MQTT device may hold (group/node/device paths use `/`). */
export const mqttDeviceIdPattern = /^[A-Za-z0-9_.:/-]{1,128}$/;
const pointKeyPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** FNV-1a, 32 bits, as 6 hex digits: short, stable, good enough to keep sanitised names apart. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0').slice(0, 6);
}

/**
 * One level of a device id from a topic segment or a Sparkplug id: kept as is when every character is
 * allowed, else the others become `_` and a hash of the original follows (`Line 1` → `Line_1.5d0e9a`), so
 * that `Line 1` and `Line_1` stay two devices.
 */
export function deviceIdPart(raw: string): string {
  if (/^[A-Za-z0-9_.:-]+$/.test(raw)) return raw;
  return `${raw.replace(/[^A-Za-z0-9_.:-]/g, '_')}.${shortHash(raw)}`;
}

/**
 * The device id of a Sparkplug edge node (`<group>/<node>`) or device (`<group>/<node>/<device>`),
 * each level made safe by {@link deviceIdPart}; ids beyond 128 characters are cut and hashed.
 */
export function sparkplugDeviceId(groupId: string, edgeNodeId: string, deviceId?: string): string {
  const id = [groupId, edgeNodeId, ...(deviceId === undefined ? [] : [deviceId])].map(deviceIdPart).join('/');
  return id.length <= 128 ? id : `${id.slice(0, 120)}.${shortHash(id)}`;
}

/**
 * A point key for a Sparkplug metric name, unique within `taken`: `/` becomes `.`, other characters a
 * key cannot hold become `_`, long names are cut to 64; a clash gets `-2`, `-3` …
 * @example pointKeyFor('Inputs/Temp (°C)', new Set()) // 'Inputs.Temp___C_'
 */
export function pointKeyFor(metricName: string, taken: ReadonlySet<string>): string {
  const base = metricName.replace(/\//g, '.').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'metric';
  if (!taken.has(base) && pointKeyPattern.test(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const key = base.slice(0, 64 - suffix.length) + suffix;
    if (!taken.has(key)) return key;
  }
}

import type { ProfileDto } from '@yulian/contracts';

/** The per-device fields a profile's devices differ in. */
export interface DeviceFields {
  id: string;
  name: string;
  host?: string | undefined;
  port?: number | undefined;
  unitId?: number | undefined;
  endpoint?: string | undefined;
}

/**
 * A gateway device configuration from a profile and one device's fields: the profile's points (with
 * its data class where a point sets none) and defaults, and the device's id, name and address.
 * Undefined for `mqtt` profiles: those devices arrive over MQTT and have no configuration of their own.
 * @example deviceConfigFromProfile(cncProfile, { id: 'cnc-07', name: '7号机', host: '10.0.0.7' })
 */
export function deviceConfigFromProfile(profile: ProfileDto, d: DeviceFields): Record<string, unknown> | undefined {
  const points = profile.points.map((p) => (p.dataClass !== undefined || profile.dataClass === null ? p : { ...p, dataClass: profile.dataClass }));
  const def = profile.defaults;
  const opt = (k: string, v: number | undefined) => (v === undefined ? {} : { [k]: v });
  if (profile.protocol === 'modbus-tcp') {
    return { id: d.id, name: d.name, protocol: 'modbus-tcp', host: d.host ?? '', ...opt('port', d.port ?? def.port), ...opt('unitId', d.unitId ?? def.unitId), ...opt('pollIntervalMs', def.pollIntervalMs), ...opt('timeoutMs', def.timeoutMs), points };
  }
  if (profile.protocol === 'opcua') {
    return { id: d.id, name: d.name, protocol: 'opcua', endpointUrl: d.endpoint ?? '', ...opt('publishingIntervalMs', def.publishingIntervalMs), ...opt('samplingIntervalMs', def.samplingIntervalMs), ...opt('timeoutMs', def.timeoutMs), points };
  }
  return undefined;
}

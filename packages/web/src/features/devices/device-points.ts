import type { DeviceRecordDto } from '@yulian/contracts';

/** What the console needs of a configured point: names, unit, range and whether commands may write it. */
export interface PointMeta {
  key: string;
  name: string;
  unit: string;
  dataType: string;
  min: number | undefined;
  max: number | undefined;
  writable: boolean;
  critical: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The points of a device configuration (`config.points` of any driver), read defensively: a discovered
 * device's points may lack fields, and a Modbus discrete input or input register is never writable.
 *
 * @example pointsOf(record).filter((p) => p.writable)
 */
export function pointsOf(record: Pick<DeviceRecordDto, 'config'> | undefined): PointMeta[] {
  const points = record?.config['points'];
  if (!Array.isArray(points)) return [];
  return points.filter(isRecord).flatMap((p) => {
    const key = typeof p['key'] === 'string' ? p['key'] : typeof p['name'] === 'string' ? p['name'] : undefined;
    if (!key) return [];
    const modbus = isRecord(p['modbus']) ? p['modbus'] : undefined;
    const readOnlyTable = modbus?.['table'] === 'input' || modbus?.['table'] === 'discrete';
    return [
      {
        key,
        name: typeof p['name'] === 'string' && p['name'] !== key ? p['name'] : '',
        unit: typeof p['unit'] === 'string' ? p['unit'] : '',
        dataType: typeof p['dataType'] === 'string' ? p['dataType'] : typeof p['type'] === 'string' ? p['type'] : '',
        min: num(p['min']),
        max: num(p['max']),
        writable: (p['access'] === 'read-write' || p['writable'] === true) && !readOnlyTable,
        critical: p['critical'] === true,
      },
    ];
  });
}

/** True for a point whose values are true/false. */
export const isBoolPoint = (p: PointMeta): boolean => p.dataType === 'bool' || p.dataType === 'Boolean';

/** True for a point whose values are text. */
export const isTextPoint = (p: PointMeta): boolean => p.dataType === 'string' || p.dataType === 'String';

import { YulianError } from '@yulian/core';
import type { ModbusDeviceConfigInput } from '@yulian/gateway';
import { type CncVariant, cncPoints, createCncSim } from './cnc.js';
import { type CompressorVariant, compressorPoints, createCompressorSim } from './compressor.js';
import type { MachineSim } from './machine-sim.js';
import type { SimPoint } from './registers.js';
import type { Random } from './signals.js';

/** Kinds of machine in the virtual factory. */
export type MachineKind = 'cnc' | 'compressor';

/** One machine of the plant as the platform sees it: identity, names and register map. */
export interface MachineSpec {
  id: string;
  name: { zh: string; en: string };
  kind: MachineKind;
  points: SimPoint[];
  /** The point that `sensor-drift` and `stuck-value` affect when the fault names none. */
  defaultFaultPoint: string;
  /** Builds the machine's physical model. */
  createSim(rnd: Random, start: number): MachineSim;
}

const vmc: CncVariant = { model: 'YL-VMC850', maxRpm: 10_000, defaultRpm: 8_000, ratedKw: 11, vibrationOrder: 'ABCD' };
const lathe: CncVariant = { model: 'YL-CK6150', maxRpm: 3_000, defaultRpm: 2_000, ratedKw: 7.5, vibrationOrder: 'ABCD' };
const screw: CompressorVariant = { model: 'YL-SA75', capacityM3Min: 13.5, loadedA: 140, energyOrder: 'ABCD' };

const cnc = (n: number, variant: CncVariant, zhKind: string, enKind: string): MachineSpec => ({
  id: `cnc-0${n}`,
  name: { zh: `${n}号数控机床（${zhKind}）`, en: `CNC machine ${n} (${enKind})` },
  kind: 'cnc',
  points: cncPoints(variant),
  defaultFaultPoint: 'spindle_temp',
  createSim: (rnd, start) => createCncSim(variant, rnd, start),
});

const compressor = (n: number, variant: CompressorVariant): MachineSpec => ({
  id: `compressor-0${n}`,
  name: { zh: `${n}号空压机`, en: `Air compressor ${n}` },
  kind: 'compressor',
  points: compressorPoints(variant),
  defaultFaultPoint: 'discharge_pressure',
  createSim: (rnd, start) => createCompressorSim(variant, rnd, start),
});

/**
 * The plant: 重庆渝联示范工厂, an auto-parts plant with three vertical machining centres, three CNC
 * lathes and two screw compressors. Even-numbered CNCs and compressor 2 swap words in their multi-register
 * floats, as controllers of different brands do, so that the gateway's byte orders are exercised.
 */
export const factoryLayout: readonly MachineSpec[] = [
  cnc(1, vmc, '立式加工中心', 'vertical machining centre'),
  cnc(2, { ...vmc, vibrationOrder: 'CDAB' }, '立式加工中心', 'vertical machining centre'),
  cnc(3, vmc, '立式加工中心', 'vertical machining centre'),
  cnc(4, { ...lathe, vibrationOrder: 'CDAB' }, '数控车床', 'CNC lathe'),
  cnc(5, lathe, '数控车床', 'CNC lathe'),
  cnc(6, { ...lathe, vibrationOrder: 'CDAB' }, '数控车床', 'CNC lathe'),
  compressor(1, screw),
  compressor(2, { ...screw, energyOrder: 'CDAB' }),
];

/** The plant's name. */
export const factoryName = { zh: '重庆渝联示范工厂', en: 'Yulian Chongqing demonstration plant' } as const;

/** Looks a machine up by id. @throws YulianError DEVICE_NOT_FOUND naming the machines there are */
export function machineSpec(id: string): MachineSpec {
  const spec = factoryLayout.find((m) => m.id === id);
  if (!spec) throw new YulianError('DEVICE_NOT_FOUND', `The virtual factory has no machine ${id}; it has ${factoryLayout.map((m) => m.id).join(', ')}.`);
  return spec;
}

/**
 * The gateway's configuration for polling one machine, built from the same point definitions the
 * simulation serves, so the two cannot disagree.
 * @example modbusDeviceConfig('cnc-01', { host: '::1', port: 15020 })
 */
export function modbusDeviceConfig(id: string, where: { host: string; port: number; pollIntervalMs?: number }): ModbusDeviceConfigInput {
  const spec = machineSpec(id);
  return {
    id: spec.id,
    name: `${spec.name.zh} ${spec.name.en}`,
    protocol: 'modbus-tcp',
    host: where.host,
    port: where.port,
    unitId: 1,
    pollIntervalMs: where.pollIntervalMs ?? 1000,
    points: spec.points.map((p) => ({ ...p, modbus: { ...p.modbus } })),
  };
}

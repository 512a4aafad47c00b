import type { SparkplugDataType } from '@yulian/protocols';

/** Kinds of energy/environment sensor behind the plant's Sparkplug gateway. */
export type EnergySensorKind = 'power-meter' | 'environment' | 'air-flow' | 'water-meter';

/** One metric a sensor reports over Sparkplug B. */
export interface EnergySensorMetric {
  /** Sparkplug metric name, `/` for folders, e.g. `Power/Active`. */
  name: string;
  type: SparkplugDataType;
  /** Engineering unit, announced in the birth as the property `engUnit`; absent for ratios. */
  unit?: string;
  /** Engineering range; sensor-drift creeps by 5 % of it per simulated hour at severity 1. */
  min: number;
  max: number;
  /** The meter's display resolution: values are rounded to it, so unchanged readings are not re-sent. */
  resolution: number;
  /** Accepts DCMD writes. */
  writable?: boolean;
}

/** A sensor behind the gateway as the platform lists it. */
export interface EnergySensorDevice {
  /** Sparkplug device id, also the id the factory's fault API takes. */
  id: string;
  name: { zh: string; en: string };
  kind: EnergySensorKind;
  metrics: EnergySensorMetric[];
  /** The metric `sensor-drift` and `stuck-value` affect when the fault names none. */
  defaultFaultPoint: string;
}

/** The writable metric of every power meter: seconds between its reports, 1–3600 (default 1). */
export const reportIntervalMetric = 'Config/ReportIntervalS';
/** Bounds of `Config/ReportIntervalS`, s. */
export const reportIntervalRange = [1, 3600] as const;

const powerMeter = (id: string, zh: string, en: string, maxKw: number): EnergySensorDevice => ({
  id,
  name: { zh, en },
  kind: 'power-meter',
  defaultFaultPoint: 'Power/Active',
  metrics: [
    { name: 'Power/Active', type: 'Float', unit: 'kW', min: 0, max: maxKw, resolution: 0.01 },
    { name: 'Power/Factor', type: 'Float', min: 0, max: 1, resolution: 0.001 },
    { name: 'Voltage/LineToLine', type: 'Float', unit: 'V', min: 0, max: 500, resolution: 0.1 },
    { name: 'Current/Average', type: 'Float', unit: 'A', min: 0, max: Math.ceil((maxKw * 1000) / (Math.sqrt(3) * 380 * 0.7)), resolution: 0.01 },
    { name: 'Energy/Total', type: 'Double', unit: 'kWh', min: 0, max: 1e9, resolution: 0.001 },
    { name: reportIntervalMetric, type: 'UInt16', unit: 's', min: reportIntervalRange[0], max: reportIntervalRange[1], resolution: 1, writable: true },
  ],
});

const environment = (id: string, zh: string, en: string): EnergySensorDevice => ({
  id,
  name: { zh, en },
  kind: 'environment',
  defaultFaultPoint: 'Air/Temperature',
  metrics: [
    { name: 'Air/Temperature', type: 'Float', unit: '°C', min: -20, max: 60, resolution: 0.1 },
    { name: 'Air/Humidity', type: 'Float', unit: '%RH', min: 0, max: 100, resolution: 0.1 },
    { name: 'Air/PM2.5', type: 'Float', unit: 'µg/m³', min: 0, max: 1000, resolution: 1 },
    { name: 'Noise/Level', type: 'Float', unit: 'dB(A)', min: 30, max: 130, resolution: 0.1 },
  ],
});

const airFlow = (id: string, zh: string, en: string): EnergySensorDevice => ({
  id,
  name: { zh, en },
  kind: 'air-flow',
  defaultFaultPoint: 'Air/Flow',
  metrics: [
    { name: 'Air/Flow', type: 'Float', unit: 'm³/min', min: 0, max: 30, resolution: 0.01 },
    { name: 'Air/Pressure', type: 'Float', unit: 'bar', min: 0, max: 16, resolution: 0.01 },
    { name: 'Air/Total', type: 'Double', unit: 'm³', min: 0, max: 1e10, resolution: 0.1 },
  ],
});

/**
 * The ten sensors on the plant's energy gateway (one Sparkplug B edge node): four power meters (the CNC
 * line, the compressor station, the paint line's oven and booth, and the plant's main incomer, which
 * measures all of them and the rest of the plant), three workshop environment sensors, two
 * compressed-air flow meters and the plant's main water meter.
 */
export const energySensorDevices: readonly EnergySensorDevice[] = [
  powerMeter('meter-cnc-line', '数控加工线电表', 'CNC line power meter', 150),
  powerMeter('meter-compressors', '空压站电表', 'Compressor station power meter', 250),
  powerMeter('meter-paint-oven', '涂装烘炉电表', 'Paint oven power meter', 120),
  powerMeter('meter-plant-main', '工厂总进线电表', 'Plant main incomer power meter', 800),
  environment('env-machining', '机加工车间环境传感器', 'Machining hall environment sensor'),
  environment('env-paint-shop', '涂装车间环境传感器', 'Paint shop environment sensor'),
  environment('env-compressor-room', '空压站环境传感器', 'Compressor room environment sensor'),
  airFlow('flow-air-machining', '机加工车间压缩空气流量计', 'Machining hall compressed-air flow meter'),
  airFlow('flow-air-paint', '涂装车间压缩空气流量计', 'Paint shop compressed-air flow meter'),
  {
    id: 'water-main',
    name: { zh: '工厂总水表', en: 'Plant main water meter' },
    kind: 'water-meter',
    defaultFaultPoint: 'Water/Flow',
    metrics: [
      { name: 'Water/Flow', type: 'Float', unit: 'm³/h', min: 0, max: 50, resolution: 0.01 },
      { name: 'Water/Total', type: 'Double', unit: 'm³', min: 0, max: 1e9, resolution: 0.001 },
    ],
  },
];

/** Rounds a reading to its metric's resolution, as the meter's display would. */
export function roundToResolution(m: EnergySensorMetric, v: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(m.resolution) + 1e-9));
  return Number((Math.round(v / m.resolution) * m.resolution).toFixed(decimals));
}

/** A copy of a device's description, so callers cannot change the catalogue. */
export const copyEnergySensorDevice = (d: EnergySensorDevice): EnergySensorDevice => ({ ...d, name: { ...d.name }, metrics: d.metrics.map((m) => ({ ...m })) });

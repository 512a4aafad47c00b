import type { ModbusAddress, Point } from '@yulian/contracts';
import { type ModbusDeviceConfigInput, modbusDeviceSchema } from '@yulian/gateway';
import { type ModbusPoint, type ModbusTcpClient, type PointReading, createModbusTcpClient, planReads, readPoints, writePoint } from '@yulian/protocols';

const hasAddress = (p: Point): p is Point & { modbus: ModbusAddress } => p.modbus !== undefined;

/** The config's points with their addresses, as the planner takes them. */
export const modbusPoints = (config: ModbusDeviceConfigInput): ModbusPoint[] => modbusDeviceSchema.parse(config).points.filter(hasAddress);

/** A short-timeout client for the device of a gateway config, quick to retry after a comm-loss. */
export const clientFor = (config: ModbusDeviceConfigInput): ModbusTcpClient =>
  createModbusTcpClient({ host: config.host, port: config.port ?? 502, timeoutMs: 300, connectTimeoutMs: 500, backoffMs: 20, maxBackoffMs: 100 });

/** Polls every point of a device once, the way the gateway does: plan, then read block by block. */
export async function readDevice(config: ModbusDeviceConfigInput, client?: ModbusTcpClient): Promise<Map<string, PointReading>> {
  const c = modbusDeviceSchema.parse(config);
  const own = client ?? clientFor(config);
  try {
    const readings = await readPoints(own, c.unitId, planReads(modbusPoints(config), { maxGap: c.maxGap, maxRegisters: c.maxRegisters }));
    return new Map(readings.map((r) => [r.point, r]));
  } finally {
    if (!client) await own.close();
  }
}

/** Writes one point of a device over Modbus. */
export async function writeDevicePoint(config: ModbusDeviceConfigInput, key: string, value: number | boolean): Promise<void> {
  const point = modbusPoints(config).find((p) => p.key === key);
  if (!point) throw new Error(`no point ${key}`);
  const client = clientFor(config);
  try {
    await writePoint(client, 1, point, value);
  } finally {
    await client.close();
  }
}

import type { Quality } from '@yulian/contracts';
import { YulianError, isYulianError } from '@yulian/core';
import type { ModbusTcpClient } from './client.js';
import { type ModbusPoint, type ReadBlock, spanOf } from './plan.js';
import { ValueError, decodeRegisters, encodeRegisters, scale, unscale } from './values.js';

/** A point's value from one poll, before it becomes a sample. */
export interface PointReading {
  point: string;
  value: number | boolean | string | null;
  quality: Quality;
  reason?: string;
}

/** Why a request failed, as a sample's reason: the exception's name, or the error code. */
export const reasonOf = (e: unknown): string =>
  isYulianError(e, 'MODBUS_EXCEPTION') ? String(e.details?.['exception'] ?? e.code) : isYulianError(e) ? e.code : 'INTERNAL';

/**
 * Reads the planned blocks one after the other and decodes each point. A failed block makes its points
 * `bad` with the reason and does not stop the other blocks.
 */
export async function readPoints(client: ModbusTcpClient, unitId: number, blocks: readonly ReadBlock[]): Promise<PointReading[]> {
  const out: PointReading[] = [];
  for (const block of blocks) {
    try {
      const answer = await client.request(unitId, { fc: block.fc, address: block.start, count: block.count });
      for (const p of block.points) out.push(decodePoint(p, block, answer.kind === 'bits' || answer.kind === 'registers' ? answer.values : []));
    } catch (e) {
      const reason = reasonOf(e);
      for (const p of block.points) out.push({ point: p.key, value: null, quality: 'bad', reason });
    }
  }
  return out;
}

function decodePoint(p: ModbusPoint, block: ReadBlock, values: ReadonlyArray<number | boolean>): PointReading {
  const i = p.modbus.address - block.start;
  if (block.fc === 1 || block.fc === 2) return { point: p.key, value: Boolean(values[i]), quality: 'good' };
  const registers = values.slice(i, i + spanOf(p)) as number[];
  if (p.dataType === 'bool') return { point: p.key, value: (((registers[0] ?? 0) >> (p.modbus.bit ?? 0)) & 1) === 1, quality: 'good' };
  const raw = decodeRegisters(p.dataType, registers, p.modbus.byteOrder);
  if (typeof raw === 'string') return { point: p.key, value: raw, quality: 'good' };
  if (Number.isNaN(raw)) return { point: p.key, value: null, quality: 'bad', reason: 'NOT_A_NUMBER' };
  return { point: p.key, value: scale(raw, p), quality: 'good' };
}

/**
 * Writes an engineering value to a point: FC 5 for coils, FC 6 for one register, FC 16 for several, and
 * a read-modify-write (FC 3 then FC 6) for a bit inside a holding register.
 * @throws YulianError VALUE_OUT_OF_RANGE when the value does not fit, FORBIDDEN for a read-only table,
 *   or the client's MODBUS_* errors
 */
export async function writePoint(client: ModbusTcpClient, unitId: number, p: ModbusPoint, value: number | boolean | string): Promise<void> {
  const { table, address, byteOrder } = p.modbus;
  if (table === 'discrete' || table === 'input') throw new YulianError('FORBIDDEN', `${p.key} is in the read-only ${table} table.`);
  if (p.access !== 'read-write') throw new YulianError('FORBIDDEN', `${p.key} is read-only.`);
  if (table === 'coil') {
    await client.request(unitId, { fc: 5, address, value: Boolean(value) });
    return;
  }
  if (p.dataType === 'bool') {
    const bit = p.modbus.bit ?? 0;
    const current = await client.request(unitId, { fc: 3, address, count: 1 });
    const word = current.kind === 'registers' ? (current.values[0] ?? 0) : 0;
    await client.request(unitId, { fc: 6, address, value: value ? word | (1 << bit) : word & ~(1 << bit) });
    return;
  }
  if (typeof value === 'number' && ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max))) {
    throw new YulianError('VALUE_OUT_OF_RANGE', `${value} is outside ${p.key}'s range ${p.min ?? '−∞'}…${p.max ?? '∞'}.`);
  }
  let registers: number[];
  try {
    registers = p.dataType === 'string' ? encodeRegisters('string', String(value), byteOrder, p.modbus.length) : encodeRegisters(p.dataType, unscale(Number(value), p), byteOrder);
  } catch (e) {
    if (e instanceof ValueError) throw new YulianError('VALUE_OUT_OF_RANGE', `${p.key}: ${e.message}.`);
    throw e;
  }
  await client.request(unitId, registers.length === 1 ? { fc: 6, address, value: registers[0] as number } : { fc: 16, address, values: registers });
}

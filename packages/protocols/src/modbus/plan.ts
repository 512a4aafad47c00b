import { type ModbusAddress, type ModbusTable, type Point, registersOf } from '@yulian/contracts';
import { maxReadBits, maxReadRegisters } from './frame.js';

/** A point with a Modbus address, as the planner needs it. */
export type ModbusPoint = Point & { modbus: ModbusAddress };

/** One read request and the points it serves. */
export interface ReadBlock {
  table: ModbusTable;
  fc: 1 | 2 | 3 | 4;
  start: number;
  count: number;
  points: ModbusPoint[];
}

/** How eagerly to merge neighbouring points into one request. */
export interface PlanOptions {
  /** Unused registers (or bits) allowed between two points of one request; default 8. */
  maxGap?: number;
  /** Registers per request, at most 125 (the protocol's limit); some devices need less. */
  maxRegisters?: number;
  /** Bits per request, at most 2000. */
  maxBits?: number;
}

const fcOf: Record<ModbusTable, 1 | 2 | 3 | 4> = { coil: 1, discrete: 2, holding: 3, input: 4 };
const isBitTable = (t: ModbusTable): boolean => t === 'coil' || t === 'discrete';

/** How many registers (or bits) a point occupies. */
export function spanOf(p: ModbusPoint): number {
  if (isBitTable(p.modbus.table) || p.dataType === 'bool') return 1;
  if (p.dataType === 'string') return p.modbus.length ?? 1;
  return registersOf(p.dataType);
}

/**
 * Coalesces points into as few read requests as the protocol allows: per table, sorted by address,
 * neighbours join a request while the gap between them is at most `maxGap` and the request stays within
 * the register (125) or bit (2000) limit. A device with thousands of points becomes a few dozen requests.
 */
export function planReads(points: readonly ModbusPoint[], options: PlanOptions = {}): ReadBlock[] {
  const maxGap = options.maxGap ?? 8;
  const maxRegisters = Math.min(options.maxRegisters ?? maxReadRegisters, maxReadRegisters);
  const maxBits = Math.min(options.maxBits ?? maxReadBits, maxReadBits);
  const blocks: ReadBlock[] = [];
  for (const table of ['coil', 'discrete', 'holding', 'input'] as const) {
    const limit = isBitTable(table) ? maxBits : maxRegisters;
    const sorted = points.filter((p) => p.modbus.table === table).sort((a, b) => a.modbus.address - b.modbus.address);
    let block: ReadBlock | undefined;
    for (const p of sorted) {
      const start = p.modbus.address;
      const end = start + spanOf(p); // exclusive
      if (block && start - (block.start + block.count) <= maxGap && Math.max(end, block.start + block.count) - block.start <= limit) {
        block.count = Math.max(block.count, end - block.start);
        block.points.push(p);
      } else {
        block = { table, fc: fcOf[table], start, count: end - start, points: [p] };
        blocks.push(block);
      }
    }
  }
  return blocks;
}

import { describe, expect, it } from 'vitest';
import { pointSchema } from '@yulian/contracts';
import { type ModbusPoint, planReads } from './plan.js';

const point = (key: string, dataType: ModbusPoint['dataType'], table: ModbusPoint['modbus']['table'], address: number, extra: Partial<ModbusPoint['modbus']> = {}): ModbusPoint =>
  pointSchema.parse({ key, dataType, modbus: { table, address, ...extra } }) as ModbusPoint;

describe('planReads', () => {
  it('joins neighbouring points of one table into one request, and keeps tables apart', () => {
    const blocks = planReads([point('a', 'uint16', 'holding', 0), point('b', 'float32', 'holding', 1), point('c', 'int16', 'holding', 4), point('d', 'bool', 'coil', 3), point('e', 'uint16', 'input', 0)]);
    expect(blocks.map((b) => [b.table, b.start, b.count, b.points.map((p) => p.key).join('')])).toEqual([
      ['coil', 3, 1, 'd'],
      ['holding', 0, 5, 'abc'],
      ['input', 0, 1, 'e'],
    ]);
  });

  it('splits where the gap is larger than allowed', () => {
    const blocks = planReads([point('a', 'uint16', 'holding', 0), point('b', 'uint16', 'holding', 20)], { maxGap: 8 });
    expect(blocks.map((b) => [b.start, b.count])).toEqual([[0, 1], [20, 1]]);
    expect(planReads([point('a', 'uint16', 'holding', 0), point('b', 'uint16', 'holding', 20)], { maxGap: 30 }).map((b) => [b.start, b.count])).toEqual([[0, 21]]);
  });

  it('never asks for more than 125 registers or 2000 bits, and never splits a multi-register value', () => {
    const regs = Array.from({ length: 3000 }, (_, i) => point(`r${i}`, 'uint16', 'holding', i));
    const blocks = planReads(regs);
    expect(blocks).toHaveLength(24);
    expect(blocks.every((b) => b.count <= 125)).toBe(true);
    expect(blocks.reduce((n, b) => n + b.points.length, 0)).toBe(3000);
    const floats = Array.from({ length: 100 }, (_, i) => point(`f${i}`, 'float64', 'holding', i * 4));
    for (const b of planReads(floats)) expect(b.count % 4).toBe(0);
    const bits = Array.from({ length: 5000 }, (_, i) => point(`c${i}`, 'bool', 'coil', i));
    expect(planReads(bits).map((b) => b.count)).toEqual([2000, 2000, 1000]);
  });

  it('respects a device that wants smaller requests', () => {
    const regs = Array.from({ length: 100 }, (_, i) => point(`r${i}`, 'uint16', 'input', i));
    expect(planReads(regs, { maxRegisters: 30 }).map((b) => b.count)).toEqual([30, 30, 30, 10]);
  });
});

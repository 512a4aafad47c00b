import type { ModbusAddress, Point, PointInput } from '@yulian/contracts';
import { pointSchema } from '@yulian/contracts';
import { type ModbusDataModel, createDataModel, decodeRegisters, encodeRegisters, spanOf, unscale, scale } from '@yulian/protocols';

/** A point of a simulated machine: always with a Modbus address. */
export type SimPoint = Point & { modbus: ModbusAddress };

/** Parses a register map once at module load, so a typo in a map fails every test at once. */
export function definePoints(inputs: readonly PointInput[]): SimPoint[] {
  return inputs.map((input) => {
    const p = pointSchema.parse(input);
    if (!p.modbus) throw new Error(`simulated point ${p.key} needs a modbus address`);
    return p as SimPoint;
  });
}

/** A data model just large enough for the points (every bank at least one address). */
export function dataModelFor(points: readonly SimPoint[]): ModbusDataModel {
  const end = { coil: 1, discrete: 1, holding: 1, input: 1 };
  for (const p of points) end[p.modbus.table] = Math.max(end[p.modbus.table], p.modbus.address + spanOf(p));
  return createDataModel({ coils: end.coil, discrete: end.discrete, holding: end.holding, input: end.input });
}

const integerRange: Partial<Record<Point['dataType'], [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

/**
 * Stores an engineering value in the point's registers or bit. Values beyond what the type can hold
 * saturate, as a real transmitter's output does at the end of its range, instead of wrapping around.
 */
export function writeValue(model: ModbusDataModel, p: SimPoint, value: number | boolean | string): void {
  const { table, address, byteOrder } = p.modbus;
  if (table === 'coil' || table === 'discrete') return model.setBits(table, address, [Boolean(value)]);
  if (p.dataType === 'bool') {
    const bit = 1 << (p.modbus.bit ?? 0);
    const word = model.getRegisters(table, address, 1)[0] ?? 0;
    return model.setRegisters(table, address, [value ? word | bit : word & ~bit]);
  }
  if (p.dataType === 'string') return model.setRegisters(table, address, encodeRegisters('string', String(value), byteOrder, p.modbus.length));
  let raw = unscale(Number(value), p);
  const range = integerRange[p.dataType];
  if (range) raw = Math.min(range[1], Math.max(range[0], Math.round(raw)));
  model.setRegisters(table, address, encodeRegisters(p.dataType, raw, byteOrder));
}

/** The engineering value a point holds now (what a client would read). */
export function readValue(model: ModbusDataModel, p: SimPoint): number | boolean | string {
  const { table, address, byteOrder } = p.modbus;
  if (table === 'coil' || table === 'discrete') return model.getBits(table, address, 1)[0] ?? false;
  const registers = model.getRegisters(table, address, spanOf(p));
  if (p.dataType === 'bool') return (((registers[0] ?? 0) >> (p.modbus.bit ?? 0)) & 1) === 1;
  const raw = decodeRegisters(p.dataType, registers, byteOrder);
  return typeof raw === 'string' ? raw : scale(raw, p);
}

/** Whether a client's write touched the point's registers or bit. */
export function writeTouches(p: SimPoint, write: { table: string; address: number; values: readonly unknown[] }): boolean {
  return write.table === p.modbus.table && write.address < p.modbus.address + spanOf(p) && write.address + write.values.length > p.modbus.address;
}

/** Clamps to the point's engineering range, so a client cannot push a setpoint past it. */
export const clampToRange = (p: Point, v: number): number => Math.min(p.max ?? Infinity, Math.max(p.min ?? -Infinity, v));

import type { ModbusTable } from '@yulian/contracts';
import { YulianError } from '@yulian/core';

/**
 * The memory of one simulated Modbus device (unit): four banks that the simulation sets and reads,
 * and that `createModbusTcpServer` serves. Clients' writes are observed through `onWrite`.
 */

/** The tables of single bits. */
export type ModbusBitTable = Extract<ModbusTable, 'coil' | 'discrete'>;
/** The tables of 16-bit registers. */
export type ModbusRegisterTable = Extract<ModbusTable, 'holding' | 'input'>;

/** A client's write, as the server applied it: FC 5/15 to coils, FC 6/16 to holding registers. */
export type ModbusWrite =
  | { unitId: number; fc: 5 | 15; table: 'coil'; address: number; values: boolean[] }
  | { unitId: number; fc: 6 | 16; table: 'holding'; address: number; values: number[] };

/** Called after a client's write has been stored. */
export type ModbusWriteListener = (write: ModbusWrite) => void;

/** Bank sizes (number of coils, inputs or registers); each 0–65536, default 0 (every access answers ILLEGAL_DATA_ADDRESS). */
export interface DataModelSizes {
  coils?: number;
  discrete?: number;
  holding?: number;
  input?: number;
}

/** The four banks of one unit. The typed arrays are live: the server reads them directly. */
export interface ModbusDataModel {
  /** Coils, one byte (0 or 1) per coil: FC 1, 5, 15. */
  readonly coils: Uint8Array;
  /** Discrete inputs, one byte (0 or 1) per input: FC 2. */
  readonly discrete: Uint8Array;
  /** Holding registers: FC 3, 6, 16. */
  readonly holding: Uint16Array;
  /** Input registers: FC 4. */
  readonly input: Uint16Array;
  /** How many coils, inputs or registers a table has. */
  size(table: ModbusTable): number;
  /** Reads `count` bits from `address`. @throws RangeError outside the bank */
  getBits(table: ModbusBitTable, address: number, count: number): boolean[];
  /** Sets bits from `address` (truthy = on) without notifying `onWrite`. @throws RangeError outside the bank */
  setBits(table: ModbusBitTable, address: number, values: ArrayLike<boolean | number>): void;
  /** Reads `count` registers from `address`. @throws RangeError outside the bank */
  getRegisters(table: ModbusRegisterTable, address: number, count: number): number[];
  /**
   * Sets registers from `address` without notifying `onWrite`; values are stored modulo 2^16, so an
   * int16 −1 becomes 0xFFFF. @throws RangeError outside the bank
   */
  setRegisters(table: ModbusRegisterTable, address: number, values: ArrayLike<number>): void;
  /** Observes clients' writes (after they are stored); returns a function that stops observing. */
  onWrite(listener: ModbusWriteListener): () => void;
  /**
   * Stores a client's write and tells every `onWrite` listener; the server calls it for FC 5, 6, 15
   * and 16 after checking the address. @throws the first listener's error, after all were called
   */
  applyWrite(write: ModbusWrite): void;
}

const maxBank = 65536;

class DefaultModbusDataModel implements ModbusDataModel {
  readonly coils: Uint8Array;
  readonly discrete: Uint8Array;
  readonly holding: Uint16Array;
  readonly input: Uint16Array;
  private readonly listeners = new Set<ModbusWriteListener>();

  constructor(sizes: Required<DataModelSizes>) {
    this.coils = new Uint8Array(sizes.coils);
    this.discrete = new Uint8Array(sizes.discrete);
    this.holding = new Uint16Array(sizes.holding);
    this.input = new Uint16Array(sizes.input);
  }

  size(table: ModbusTable): number {
    return this.bank(table).length;
  }

  getBits(table: ModbusBitTable, address: number, count: number): boolean[] {
    const bank = this.checked(table, address, count);
    const out = new Array<boolean>(count);
    for (let i = 0; i < count; i++) out[i] = bank[address + i] !== 0;
    return out;
  }

  setBits(table: ModbusBitTable, address: number, values: ArrayLike<boolean | number>): void {
    const bank = this.checked(table, address, values.length);
    for (let i = 0; i < values.length; i++) bank[address + i] = values[i] ? 1 : 0;
  }

  getRegisters(table: ModbusRegisterTable, address: number, count: number): number[] {
    return Array.from(this.checked(table, address, count).subarray(address, address + count));
  }

  setRegisters(table: ModbusRegisterTable, address: number, values: ArrayLike<number>): void {
    this.checked(table, address, values.length).set(values, address);
  }

  onWrite(listener: ModbusWriteListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  applyWrite(write: ModbusWrite): void {
    if (write.table === 'coil') this.setBits('coil', write.address, write.values);
    else this.setRegisters('holding', write.address, write.values);
    let failure: { error: unknown } | undefined;
    for (const listener of this.listeners) {
      try {
        listener(write);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  private bank(table: ModbusTable): Uint8Array | Uint16Array {
    return table === 'coil' ? this.coils : table === 'discrete' ? this.discrete : table === 'holding' ? this.holding : this.input;
  }

  private checked(table: ModbusTable, address: number, count: number): Uint8Array | Uint16Array {
    const bank = this.bank(table);
    if (!Number.isInteger(address) || !Number.isInteger(count) || address < 0 || count < 0 || address + count > bank.length) {
      throw new RangeError(`${table} ${address}…${address + count - 1} is outside the bank of ${bank.length}`);
    }
    return bank;
  }
}

/**
 * Creates the memory of one unit, every value 0.
 * @example const plc = createDataModel({ coils: 64, holding: 100 }); plc.setRegisters('holding', 0, [215, 3])
 * @throws YulianError CONFIG_INVALID when a size is not an integer 0–65536
 */
export function createDataModel(sizes: DataModelSizes): ModbusDataModel {
  const full = { coils: sizes.coils ?? 0, discrete: sizes.discrete ?? 0, holding: sizes.holding ?? 0, input: sizes.input ?? 0 };
  for (const [name, n] of Object.entries(full)) {
    if (!Number.isInteger(n) || n < 0 || n > maxBank) {
      throw new YulianError('CONFIG_INVALID', `Modbus data model: ${name} is ${String(n)}; pass an integer 0–${maxBank} (one per address)`);
    }
  }
  return new DefaultModbusDataModel(full);
}

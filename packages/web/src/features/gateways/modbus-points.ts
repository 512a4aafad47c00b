import {
  byteOrders,
  dataTypes,
  modbusTables,
  pointSchema,
  registersOf,
  type ModbusAddress,
  type ModbusTable,
  type Point,
} from '@yulian/contracts';

/**
 * One Modbus point as a row of text cells — the columns of a register-map CSV and of the point form —
 * and back. The cells are read leniently (trimmed, case-insensitive names), checked with the platform's
 * own `pointSchema`, then with the rules a Modbus device adds, so the console reports every problem of a
 * row at once, by column, before anything is sent. This module imports zod (through the schema): load it
 * only on the pages that add devices.
 */

/** The register-map columns, in the order of the template. */
export const registerMapColumns = [
  'key',
  'name',
  'unit',
  'dataType',
  'table',
  'address',
  'byteOrder',
  'multiplier',
  'offset',
  'access',
  'min',
  'max',
  'length',
  'bit',
] as const;
/** A register-map column. */
export type RegisterMapColumn = (typeof registerMapColumns)[number];
/** A row's text, by column; a missing column is an empty cell. */
export type PointCells = Partial<Record<RegisterMapColumn, string>>;

/** A point of a Modbus device: always with its address. */
export type ModbusPoint = Point & { modbus: ModbusAddress };

/** What can be wrong with a row; the console words each code in its languages. */
export type PointIssueCode =
  | 'required'
  | 'number'
  | 'integer'
  | 'oneOf'
  | 'modicon'
  | 'keyPattern'
  | 'tooSmall'
  | 'tooBig'
  | 'tooLong'
  | 'notZero'
  | 'bitTableType'
  | 'readOnlyTable'
  | 'bitOnlyBool'
  | 'lengthOnlyString'
  | 'minAboveMax'
  | 'beyondLastRegister'
  | 'schema';

/** One problem of a row: the column it is in (none for the row as a whole), its code and the code's values. */
export interface PointIssue {
  column: RegisterMapColumn | undefined;
  code: PointIssueCode;
  params?: Readonly<Record<string, string | number>>;
}

/** A row read into a point, or the problems that kept it from being one. */
export type PointFromCells = { point: ModbusPoint; issues: [] } | { point: undefined; issues: PointIssue[] };

const lowerValues = {
  dataType: new Map(dataTypes.map((v) => [v.toLowerCase(), v])),
  table: new Map(modbusTables.map((v) => [v, v])),
  access: new Map([
    ['read', 'read'],
    ['read-write', 'read-write'],
  ] as const),
};

/** Modicon reference ranges: the leading digit of a 5- or 6-digit reference names the table. */
const modiconTables: Record<string, ModbusTable | undefined> = { '0': 'coil', '1': 'discrete', '3': 'input', '4': 'holding' };

/**
 * The table and 0-based address of a Modicon reference written with 5 or 6 digits: 00001–09999 coils,
 * 10001–19999 discrete inputs, 30001–39999 input registers, 40001–49999 holding registers, and the same
 * with 6 digits up to 065536, 165536, 365536 and 465536. Anything else answers undefined.
 *
 * @example
 * fromModicon('40001') // { table: 'holding', address: 0 }
 * fromModicon('300017') // { table: 'input', address: 16 }
 */
export function fromModicon(reference: string): { table: ModbusTable; address: number } | undefined {
  if (!/^\d{5,6}$/.test(reference)) return undefined;
  const table = modiconTables[reference[0] ?? ''];
  const offset = Number(reference.slice(1));
  const max = reference.length === 5 ? 9999 : 65536;
  if (!table || offset < 1 || offset > max) return undefined;
  return { table, address: offset - 1 };
}

/** Registers (or bits) a point occupies, as the gateway reads it. */
export function spanOf(point: Pick<ModbusPoint, 'dataType' | 'modbus'>): number {
  const { table, length } = point.modbus;
  if (table === 'coil' || table === 'discrete' || point.dataType === 'bool') return 1;
  if (point.dataType === 'string') return length ?? 1;
  return registersOf(point.dataType);
}

/** A finite number, or the issue; hexadecimal (0x…) is accepted. */
function readNumber(text: string, column: RegisterMapColumn, integer: boolean): number | PointIssue {
  const value = Number(text);
  if (!Number.isFinite(value)) return { column, code: 'number' };
  if (integer && !Number.isInteger(value)) return { column, code: 'integer' };
  return value;
}

/** The issues zod found, by column. */
function schemaIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }> }): PointIssue[] {
  return error.issues.map((issue): PointIssue => {
    const last = issue.path[issue.path.length - 1];
    const column = registerMapColumns.find((c) => c === last);
    const facts = issue as unknown as Record<string, unknown>;
    if (issue.code === 'too_small') return { column, code: 'tooSmall', params: { min: String(facts['minimum']) } };
    if (issue.code === 'too_big') {
      const max = String(facts['maximum']);
      return facts['origin'] === 'string' ? { column, code: 'tooLong', params: { max } } : { column, code: 'tooBig', params: { max } };
    }
    if (issue.code === 'invalid_format' && column === 'key') return { column, code: 'keyPattern' };
    if (issue.code === 'custom' && column === 'multiplier') return { column, code: 'notZero' };
    return { column, code: 'schema', params: { message: issue.message } };
  });
}

/** The rules a Modbus device adds to a valid point. */
function modbusIssues(point: ModbusPoint): PointIssue[] {
  const issues: PointIssue[] = [];
  const { table, address, bit, length } = point.modbus;
  const bitTable = table === 'coil' || table === 'discrete';
  if (bitTable && point.dataType !== 'bool') issues.push({ column: 'dataType', code: 'bitTableType', params: { table } });
  if ((table === 'discrete' || table === 'input') && point.access === 'read-write') issues.push({ column: 'access', code: 'readOnlyTable', params: { table } });
  if (bit !== undefined && (bitTable || point.dataType !== 'bool')) issues.push({ column: 'bit', code: 'bitOnlyBool' });
  if (length !== undefined && point.dataType !== 'string') issues.push({ column: 'length', code: 'lengthOnlyString' });
  if (point.min !== undefined && point.max !== undefined && point.min > point.max) issues.push({ column: 'max', code: 'minAboveMax' });
  if (address + spanOf(point) > 65536) issues.push({ column: 'address', code: 'beyondLastRegister' });
  return issues;
}

/**
 * Reads one row into a Modbus point. Cells are trimmed; names of data types, tables and access are
 * case-insensitive and byte orders are upper-cased; empty cells take the schema's defaults. With the
 * `table` cell empty, `address` must be a Modicon reference ({@link fromModicon}); otherwise it is the
 * 0-based protocol address.
 *
 * @example
 * cellsToPoint({ key: 'speed', dataType: 'UINT16', address: '30001' }).point
 * // { key: 'speed', dataType: 'uint16', modbus: { table: 'input', address: 0, byteOrder: 'ABCD' }, … }
 */
export function cellsToPoint(cells: PointCells): PointFromCells {
  const cell = (column: RegisterMapColumn): string => (cells[column] ?? '').trim();
  const issues: PointIssue[] = [];
  const input: Record<string, unknown> = {};
  const modbus: Record<string, unknown> = {};

  const key = cell('key');
  if (key === '') issues.push({ column: 'key', code: 'required' });
  else input['key'] = key;
  if (cell('name') !== '') input['name'] = cell('name');
  if (cell('unit') !== '') input['unit'] = cell('unit');

  const enumCell = (column: 'dataType' | 'access', target: Record<string, unknown>, required: boolean) => {
    const text = cell(column);
    if (text === '') {
      if (required) issues.push({ column, code: 'required' });
      return;
    }
    const value = lowerValues[column].get(text.toLowerCase() as never);
    if (value) target[column] = value;
    else issues.push({ column, code: 'oneOf', params: { values: [...lowerValues[column].values()].join(', ') } });
  };
  enumCell('dataType', input, true);
  enumCell('access', input, false);

  const numberCell = (column: RegisterMapColumn, target: Record<string, unknown>, integer: boolean) => {
    const text = cell(column);
    if (text === '') return;
    const value = readNumber(text, column, integer);
    if (typeof value === 'number') target[column] = value;
    else issues.push(value);
  };
  for (const column of ['multiplier', 'offset', 'min', 'max'] as const) numberCell(column, input, false);
  for (const column of ['length', 'bit'] as const) numberCell(column, modbus, true);

  const byteOrder = cell('byteOrder').toUpperCase();
  if (byteOrder !== '') {
    if ((byteOrders as readonly string[]).includes(byteOrder)) modbus['byteOrder'] = byteOrder;
    else issues.push({ column: 'byteOrder', code: 'oneOf', params: { values: byteOrders.join(', ') } });
  }

  const table = cell('table').toLowerCase();
  const address = cell('address');
  if (table !== '') {
    if (lowerValues.table.has(table as ModbusTable)) modbus['table'] = table;
    else issues.push({ column: 'table', code: 'oneOf', params: { values: modbusTables.join(', ') } });
    if (address === '') issues.push({ column: 'address', code: 'required' });
    else numberCell('address', modbus, true);
  } else if (address === '') issues.push({ column: 'address', code: 'required' });
  else {
    const reference = fromModicon(address);
    if (reference) Object.assign(modbus, reference);
    else issues.push({ column: 'address', code: 'modicon' });
  }

  input['modbus'] = modbus;
  const parsed = pointSchema.safeParse(input);
  if (!parsed.success) {
    // A failed Modicon reference leaves the table unknown too; that is one problem, not two.
    const flagged = new Set([...issues.map((i) => i.column), ...issues.filter((i) => i.code === 'modicon').map(() => 'table' as const)]);
    // A column whose text could not be read is already reported; zod would only add "required" to it.
    issues.push(...schemaIssues(parsed.error).filter((i) => !flagged.has(i.column)));
  }
  if (issues.length > 0 || !parsed.success) return { point: undefined, issues };
  const point = parsed.data as ModbusPoint;
  const modbusProblems = modbusIssues(point);
  return modbusProblems.length > 0 ? { point: undefined, issues: modbusProblems } : { point, issues: [] };
}

const text = (value: number | undefined): string => (value === undefined ? '' : String(value));

/** A point as row cells: the inverse of {@link cellsToPoint}, defaults written out, address 0-based. */
export function pointToCells(point: ModbusPoint): Required<PointCells> {
  return {
    key: point.key,
    name: point.name,
    unit: point.unit,
    dataType: point.dataType,
    table: point.modbus.table,
    address: String(point.modbus.address),
    byteOrder: point.modbus.byteOrder,
    multiplier: String(point.multiplier),
    offset: String(point.offset),
    access: point.access,
    min: text(point.min),
    max: text(point.max),
    length: text(point.modbus.length),
    bit: text(point.modbus.bit),
  };
}

/**
 * A point without the fields that hold their defaults, for the request body: a register map of
 * thousands of points stays well inside the server's body limit.
 */
export function compactPoint(point: ModbusPoint): Record<string, unknown> {
  const { name, unit, access, multiplier, offset, modbus, ...rest } = point;
  const { byteOrder, ...address } = modbus;
  return {
    ...rest,
    ...(name ? { name } : {}),
    ...(unit ? { unit } : {}),
    ...(access !== 'read' ? { access } : {}),
    ...(multiplier !== 1 ? { multiplier } : {}),
    ...(offset !== 0 ? { offset } : {}),
    modbus: byteOrder !== 'ABCD' ? { ...address, byteOrder } : address,
  };
}

import { parseDelimited, toCsv } from './csv';
import {
  cellsToPoint,
  pointToCells,
  registerMapColumns,
  type ModbusPoint,
  type PointCells,
  type PointIssue,
  type PointIssueCode,
  type RegisterMapColumn,
} from './modbus-points';

/**
 * A Modbus register map as a CSV file: a header row naming the columns (any order, case-insensitive,
 * spaces, dashes and underscores ignored: `Data Type` is `dataType`), then one point per row. Rows that
 * cannot be read are reported by line and column and left out; the others are kept.
 */

/** What can be wrong with the file as a whole or with one of its rows. */
export type RegisterMapIssueCode = PointIssueCode | 'empty' | 'columnMissing' | 'columnTwice' | 'cellCount' | 'duplicateKey' | 'unterminatedQuote';

/** A problem in the file: the line (1-based, the header is line 1 of a file that starts with it), the column and what is wrong. */
export interface RegisterMapIssue {
  line: number;
  column: RegisterMapColumn | undefined;
  code: RegisterMapIssueCode;
  params?: Readonly<Record<string, string | number>>;
}

/** A point read from the file, with the line it came from. */
export interface ImportedPoint {
  point: ModbusPoint;
  line: number;
}

/** What {@link parseRegisterMapCsv} read. */
export interface RegisterMapImport {
  /** The rows that became points, in file order. */
  points: ImportedPoint[];
  issues: RegisterMapIssue[];
  /** Data rows in the file (not counting the header and blank lines). */
  rows: number;
  /** Header cells that name no column; their cells are ignored. */
  ignoredColumns: string[];
}

/** The columns a file must have; the others may be left out. `table` may be, when addresses are Modicon references. */
export const requiredColumns: readonly RegisterMapColumn[] = ['key', 'dataType', 'address'];

const normalise = (name: string): string => name.trim().toLowerCase().replace(/[\s_-]+/g, '');
const columnByName = new Map(registerMapColumns.map((c) => [normalise(c), c]));

/**
 * Reads a register-map CSV (or tab- or semicolon-separated text pasted from a spreadsheet).
 *
 * @example
 * const { points, issues } = parseRegisterMapCsv('key,dataType,table,address\nspeed,uint16,input,0\n');
 * // points[0].point.modbus → { table: 'input', address: 0, byteOrder: 'ABCD' }; issues → []
 */
export function parseRegisterMapCsv(text: string): RegisterMapImport {
  const parsed = parseDelimited(text);
  const [header, ...data] = parsed.records;
  const result: RegisterMapImport = { points: [], issues: [], rows: data.length, ignoredColumns: [] };
  if (!header) {
    result.issues.push({ line: 1, column: undefined, code: 'empty' });
    return result;
  }

  const columns: Array<RegisterMapColumn | undefined> = header.cells.map((name) => columnByName.get(normalise(name)));
  header.cells.forEach((name, i) => {
    const column = columns[i];
    if (!column) {
      if (name.trim() !== '') result.ignoredColumns.push(name.trim());
    } else if (columns.indexOf(column) !== i) result.issues.push({ line: header.line, column, code: 'columnTwice' });
  });
  for (const column of requiredColumns) {
    if (!columns.includes(column)) result.issues.push({ line: header.line, column, code: 'columnMissing' });
  }
  if (result.issues.length > 0) return result;

  const firstLineOf = new Map<string, number>();
  for (const record of data) {
    const cells: PointCells = {};
    columns.forEach((column, i) => {
      if (column) cells[column] = record.cells[i] ?? '';
    });
    const read = cellsToPoint(cells);
    // More cells than columns: an unquoted comma has most likely shifted the row, which then says more
    // than its column errors would. Empty cells past the end (a trailing comma) are harmless.
    const extra = record.cells.slice(columns.length).some((c) => c.trim() !== '');
    if (record.cells.length > columns.length && (extra || !read.point)) {
      result.issues.push({ line: record.line, column: undefined, code: 'cellCount', params: { expected: columns.length, found: record.cells.length } });
      continue;
    }
    if (!read.point) {
      result.issues.push(...read.issues.map((issue: PointIssue) => ({ ...issue, line: record.line })));
      continue;
    }
    const first = firstLineOf.get(read.point.key);
    if (first !== undefined) {
      result.issues.push({ line: record.line, column: 'key', code: 'duplicateKey', params: { key: read.point.key, line: first } });
      continue;
    }
    firstLineOf.set(read.point.key, record.line);
    result.points.push({ point: read.point, line: record.line });
  }
  if (parsed.unterminatedQuoteLine !== undefined) {
    result.issues.push({ line: parsed.unterminatedQuoteLine, column: undefined, code: 'unterminatedQuote' });
  }
  return result;
}

/** The register map as a CSV file with every column, addresses 0-based; reading it back gives the same points. */
export function registerMapToCsv(points: readonly ModbusPoint[]): string {
  return toCsv([registerMapColumns, ...points.map((p) => registerMapColumns.map((c) => pointToCells(p)[c]))]);
}

/** The template offered for download: every column and one example of each kind of point. */
export const registerMapTemplate = toCsv([
  registerMapColumns,
  ['spindle_speed', 'Spindle speed 主轴转速', 'rpm', 'uint16', 'input', '0', '', '', '', 'read', '0', '10000', '', ''],
  ['spindle_temp', 'Spindle temperature 主轴温度', '°C', 'int16', 'input', '2', '', '0.1', '', '', '-20', '120', '', ''],
  ['vibration_rms', 'Vibration RMS 振动', 'mm/s', 'float32', 'input', '4', 'CDAB', '', '', '', '0', '50', '', ''],
  ['part_count', 'Part counter 件数', 'pcs', 'uint32', '', '30011', '', '', '', '', '', '', '', ''],
  ['model', 'Model 型号', '', 'string', 'input', '20', '', '', '', '', '', '', '8', ''],
  ['speed_setpoint', 'Speed setpoint 转速设定', 'rpm', 'uint16', 'holding', '0', '', '', '', 'read-write', '100', '10000', '', ''],
  ['door_open', 'Door open 门开', '', 'bool', 'holding', '10', '', '', '', '', '', '', '', '3'],
  ['enabled', 'Enabled 启用', '', 'bool', 'coil', '0', '', '', '', 'read-write', '', '', '', ''],
]);

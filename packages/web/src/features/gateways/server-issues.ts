import { registerMapColumns, type RegisterMapColumn } from './modbus-points';

/**
 * The server's `DEVICE_CONFIG_INVALID` answer names each failing field by its path in the device
 * configuration (`host`, `points.3.modbus.address`); the console puts each next to its field or on its
 * point of the register map.
 */

/** One failing field as the server names it. */
export interface ServerIssue {
  path: string;
  message: string;
}

/** An issue of the point at `index` (0-based, as sent), in `column` when the path names one. */
export interface ServerPointIssue {
  index: number;
  column: RegisterMapColumn | undefined;
  message: string;
}

/** The issues of an error's `details.issues`; anything malformed is left out. */
export function readServerIssues(details: Readonly<Record<string, unknown>> | undefined): ServerIssue[] {
  const issues = details?.['issues'];
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown): ServerIssue[] => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { path, message } = issue as Record<string, unknown>;
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

/**
 * Splits issues into those of points (`points.<i>…`) and those of the other fields (by the path's first
 * segment, e.g. `host`).
 *
 * @example
 * splitServerIssues([{ path: 'points.3.modbus.address', message: 'Too big' }]).points
 * // [{ index: 3, column: 'address', message: 'Too big' }]
 */
export function splitServerIssues(issues: readonly ServerIssue[]): { points: ServerPointIssue[]; fields: ServerIssue[] } {
  const points: ServerPointIssue[] = [];
  const fields: ServerIssue[] = [];
  for (const issue of issues) {
    const [head, index, ...rest] = issue.path.split('.');
    if (head === 'points' && index !== undefined && /^\d+$/.test(index)) {
      const last = rest[rest.length - 1];
      points.push({ index: Number(index), column: registerMapColumns.find((c) => c === last), message: issue.message });
    } else fields.push({ path: head ?? '', message: issue.message });
  }
  return { points, fields };
}

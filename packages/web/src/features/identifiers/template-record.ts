/**
 * A record and its template: which template a record was registered with, the form's values read from
 * the record, the body of a write through the template records API and its refusal turned into
 * per-field problems, and a bulk job's per-row report. The layout is the server's (URL at index 1, the
 * template's fields from index 2 in template order, HS_ADMIN at 100, `YL.template` at 1001).
 */
import { ApiError } from '../../api/client';
import { parseDelimited } from '../gateways/csv';
import type { HandleValueJson, IdentifierTemplate } from './identifier-types';

/** The form of a record: the URL and each field's text by key. */
export interface TemplateForm {
  url: string;
  fields: Record<string, string>;
}

/** A field's problem: its code and, when the server said it, its message. */
export interface FieldProblem {
  code: string;
  message?: string;
}

/** The type of the value naming a record's template (`product@1`, at index 1001). */
export const templateMarkerType = 'YL.template';

const textOf = (v: HandleValueJson): string | undefined => (v.data.format === 'string' ? v.data.value : undefined);

/**
 * The template a record was registered with: named by its `YL.template` value (`product@1`), or else the
 * one whose field types it holds most of (records registered before templates, such as the demo's).
 */
export function templateOfRecord(values: readonly HandleValueJson[], templates: readonly IdentifierTemplate[]): IdentifierTemplate | undefined {
  const marker = values.find((v) => v.type === templateMarkerType);
  const named = marker && textOf(marker)?.split('@')[0];
  const byName = templates.find((t) => t.id === named);
  if (byName) return byName;
  let best: IdentifierTemplate | undefined;
  let bestCount = 0;
  for (const t of templates) {
    const count = t.fields.filter((f) => values.some((v) => v.type === f.type)).length;
    if (count > bestCount) [best, bestCount] = [t, count];
  }
  return best;
}

/**
 * Whether a record is laid out as its template writes it, so that a template write replaces exactly
 * its values: every value at a field's index (2, 3, …) is that field's type, every value of a field's
 * type sits at that index, and a URL at index 1. A record written otherwise (the platform's device
 * records pack their fields and add `device.uid`) would lose or double values, so it is not edited by
 * template.
 */
export function fitsTemplateLayout(values: readonly HandleValueJson[], template: IdentifierTemplate): boolean {
  const first = 2;
  return values.every((v) => {
    const at = template.fields[v.index - first];
    const own = template.fields.findIndex((f) => f.type === v.type);
    if (v.type === 'URL') return v.index === 1;
    if (at) return at.type === v.type;
    return own < 0;
  });
}

/** An empty form of a template. */
export const emptyForm = (template: IdentifierTemplate): TemplateForm => ({ url: '', fields: Object.fromEntries(template.fields.map((f) => [f.key, ''])) });

/** The form of a record: each field from the value of its type, the URL from the `URL` value. */
export function formOfRecord(values: readonly HandleValueJson[], template: IdentifierTemplate): TemplateForm {
  const url = values.find((v) => v.type === 'URL');
  return {
    url: (url && textOf(url)) ?? '',
    fields: Object.fromEntries(
      template.fields.map((f) => {
        const value = values.find((v) => v.type === f.type);
        return [f.key, (value && textOf(value)) ?? ''];
      }),
    ),
  };
}

/** One row of a job's report (`errors.csv`). */
export interface ReportRow {
  row: number;
  column: string;
  code: string;
  message: string;
}

/** Reads a job's report, `row,column,code,message` with a header line. */
export function parseErrorReport(csv: string): ReportRow[] {
  const [, ...records] = parseDelimited(csv, ',').records;
  return records.map((r) => ({ row: Number(r.cells[0]), column: r.cells[1] ?? '', code: r.cells[2] ?? '', message: r.cells[3] ?? '' }));
}

/** The body of a template record write: the form's non-empty fields, trimmed, and the URL when given. */
export function recordBody(template: IdentifierTemplate, form: TemplateForm): { template: string; fields: Record<string, string>; url?: string } {
  const fields: Record<string, string> = {};
  for (const f of template.fields) {
    const v = (form.fields[f.key] ?? '').trim();
    if (v) fields[f.key] = v;
  }
  const url = form.url.trim();
  return { template: template.id, fields, ...(url ? { url } : {}) };
}

/**
 * The per-field problems of a refused template record write: `ID_FIELDS_INVALID` with
 * `details.problems: [{field, code, message}]`, or an identifier the server cannot parse (`ID_MALFORMED`,
 * its syntax code in `details.problem`) at the suffix; undefined for any other error.
 */
export function problemsOfError(error: unknown): Record<string, FieldProblem> | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'ID_MALFORMED') {
    const problem = error.details?.['problem'];
    return { suffix: { code: typeof problem === 'string' ? problem : error.code, message: error.message } };
  }
  if (error.code !== 'ID_FIELDS_INVALID') return undefined;
  const list = error.details?.['problems'];
  if (!Array.isArray(list)) return undefined;
  const out: Record<string, FieldProblem> = {};
  for (const p of list as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const { field, code, message } = p as Record<string, unknown>;
    if (typeof field === 'string' && typeof code === 'string') out[field] ??= { code, message: typeof message === 'string' ? message : '' };
  }
  return Object.keys(out).length ? out : undefined;
}

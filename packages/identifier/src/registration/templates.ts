/**
 * Identifier templates (数据模板): per-industry metadata schemas a registration is checked against, and
 * how a record's Handle values are laid out from one: index 1 the URL (when given), the template's fields
 * from index 2 in template order (a field keeps its index when another is empty), index 100 HS_ADMIN of
 * the prefix's admin (`0.NA/<prefix>`, index 300), and index 1001 a `YL.template` value naming the
 * template and its version (`product@1`) — the national system keeps the template at 1001 too.
 */
import type { IdentifierTemplate, TemplateField, TemplateFieldKind } from '@yulian/contracts';
import { type HandleValue, allAdminPermissions, encodeAdmin, handleValue, naPrefix } from '@yulian/protocols';

export type { IdentifierTemplate, TemplateField, TemplateFieldKind } from '@yulian/contracts';

/** Why a row does not fit its template (the per-row report's codes). */
export type TemplateProblem = 'REQUIRED' | 'TOO_LONG' | 'INVALID_DATE' | 'NOT_A_NUMBER' | 'INVALID_URL' | 'INVALID_VALUE' | 'UNKNOWN_FIELD';

/** One problem of one field of a row. */
export interface FieldProblem {
  field: string;
  code: TemplateProblem;
  message: string;
}

/** Index of the URL value, the first field, HS_ADMIN and the template marker. */
export const templateIndexes = { url: 1, firstField: 2, admin: 100, template: 1001 } as const;
/** The type of the value naming a record's template (`product@1`). */
export const templateValueType = 'YL.template';
/** The column (or key) of a record's URL: not a template field, accepted with every template. */
export const urlKey = 'url';

const field = (key: string, type: string, kind: TemplateFieldKind, options: { required?: boolean; maxLength?: number; zh: string; en: string }): TemplateField => ({
  key,
  type,
  kind,
  required: options.required ?? false,
  maxLength: options.maxLength ?? (kind === 'date' ? 10 : kind === 'url' ? 2048 : 128),
  label: { zh: options.zh, en: options.en },
});

/**
 * The built-in templates, by id. `product` and `device` use the value types the demo enterprise's
 * records carry (`product.name`, `device.serial`, …), so a registered record resolves like them.
 */
export const identifierTemplates: Readonly<Record<string, IdentifierTemplate>> = {
  product: {
    id: 'product',
    version: 1,
    name: { zh: '产品', en: 'Product' },
    fields: [
      field('name', 'product.name', 'text', { required: true, maxLength: 200, zh: '产品名称', en: 'Name' }),
      field('model', 'product.model', 'text', { zh: '型号', en: 'Model' }),
      field('batch', 'product.batch', 'text', { zh: '批次', en: 'Batch' }),
      field('productionDate', 'product.productionDate', 'date', { zh: '生产日期', en: 'Production date' }),
      field('manufacturer', 'product.manufacturer', 'text', { required: true, maxLength: 200, zh: '生产企业', en: 'Manufacturer' }),
    ],
  },
  device: {
    id: 'device',
    version: 1,
    name: { zh: '设备', en: 'Device' },
    fields: [
      field('name', 'device.name', 'text', { maxLength: 200, zh: '设备名称', en: 'Name' }),
      field('type', 'device.type', 'text', { zh: '设备类型', en: 'Type' }),
      field('model', 'device.model', 'text', { zh: '型号', en: 'Model' }),
      field('serial', 'device.serial', 'text', { required: true, zh: '出厂编号', en: 'Serial number' }),
      field('manufacturer', 'device.manufacturer', 'text', { maxLength: 200, zh: '制造商', en: 'Manufacturer' }),
      field('commissioningDate', 'device.commissioningDate', 'date', { zh: '投运日期', en: 'Commissioning date' }),
      field('location', 'device.location', 'text', { maxLength: 200, zh: '安装位置', en: 'Location' }),
    ],
  },
};

/** A template by id, or undefined. */
export const templateOf = (id: string): IdentifierTemplate | undefined => (Object.hasOwn(identifierTemplates, id) ? identifierTemplates[id] : undefined);

/** A row as read from a file: column or key → text; a missing or empty one is absent. */
export type TemplateRow = Readonly<Record<string, string | undefined>>;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// C0 and C1 controls and DEL: never part of a label's data (a line break inside a CSV field included).
// eslint-disable-next-line no-control-regex
const controlChar = /[\u0000-\u001f\u007f-\u009f]/;

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `s` is a calendar date `YYYY-MM-DD` (2021-02-29 is not). Runs per row: no Date object. */
function isDate(s: string): boolean {
  const m = datePattern.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : daysInMonth[mo - 1]!);
}

/** Whether `s` is an absolute http or https URL. */
function isHttpUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const protocol = new URL(s).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/** The problem of one value of a kind, or undefined. */
function valueProblem(f: Pick<TemplateField, 'key' | 'kind' | 'maxLength'>, v: string): FieldProblem | undefined {
  const fail = (code: TemplateProblem, message: string): FieldProblem => ({ field: f.key, code, message });
  if (v.length > f.maxLength) return fail('TOO_LONG', `${f.key} is longer than ${f.maxLength} characters.`);
  if (controlChar.test(v)) return fail('INVALID_VALUE', `${f.key} holds a control character (a line break, tab …).`);
  if (f.kind === 'date' && !isDate(v)) return fail('INVALID_DATE', `${f.key} ${JSON.stringify(v)} is not a date YYYY-MM-DD.`);
  if (f.kind === 'number' && !numberPattern.test(v)) return fail('NOT_A_NUMBER', `${f.key} ${JSON.stringify(v)} is not a number.`);
  if (f.kind === 'url' && !isHttpUrl(v)) return fail('INVALID_URL', `${f.key} ${JSON.stringify(v)} is not an http(s) URL.`);
  return undefined;
}

const urlField = { key: urlKey, kind: 'url', maxLength: 2048 } as const;

/**
 * Checks a row's data against a template: required fields present, each value of its kind and length,
 * the optional `url`, no key the template does not know (`ignore` names keys checked elsewhere, such as
 * `suffix`). Answers every problem, in template order.
 * @example validateRow(templateOf('product')!, { name: '轴承', manufacturer: '渝联' }) // []
 */
export function validateRow(template: IdentifierTemplate, row: TemplateRow, ignore: readonly string[] = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const f of template.fields) {
    const v = row[f.key];
    if (v === undefined || v === '') {
      if (f.required) problems.push({ field: f.key, code: 'REQUIRED', message: `${f.key} is required.` });
      continue;
    }
    const p = valueProblem(f, v);
    if (p) problems.push(p);
  }
  const url = row[urlKey];
  if (url !== undefined && url !== '') {
    const p = valueProblem(urlField, url);
    if (p) problems.push(p);
  }
  for (const key of Object.keys(row)) {
    if (key !== urlKey && !ignore.includes(key) && !template.fields.some((f) => f.key === key)) {
      problems.push({ field: key, code: 'UNKNOWN_FIELD', message: `${key} is not a field of the ${template.id} template (${template.fields.map((f) => f.key).join(', ')}, url).` });
    }
  }
  return problems;
}

/** The admin value every record of a prefix gets: the prefix's admin (`0.NA/<prefix>` index 300), all permissions. */
export const prefixAdminValue = (prefix: string, timestamp?: number): HandleValue =>
  handleValue(templateIndexes.admin, 'HS_ADMIN', encodeAdmin({ permissions: allAdminPermissions, handle: `${naPrefix}/${prefix}`, index: 300 }), timestamp === undefined ? {} : { timestamp });

/** The template marker value (`YL.template`, `product@1`) at index 1001. */
export const templateMarkerValue = (template: IdentifierTemplate, timestamp?: number): HandleValue =>
  handleValue(templateIndexes.template, templateValueType, `${template.id}@${template.version}`, timestamp === undefined ? {} : { timestamp });

/**
 * The Handle values of a record registered with a template, from a valid row (see {@link validateRow}):
 * URL at 1, fields from 2 in template order (empty ones left out, the others keep their index),
 * HS_ADMIN at 100, the template marker at 1001. Values are public-read, TTL one day.
 */
export function templateValues(template: IdentifierTemplate, row: TemplateRow, options: { prefix: string; timestamp?: number }): HandleValue[] {
  const o = options.timestamp === undefined ? {} : { timestamp: options.timestamp };
  const values: HandleValue[] = [];
  const url = row[urlKey];
  if (url) values.push(handleValue(templateIndexes.url, 'URL', url, o));
  template.fields.forEach((f, i) => {
    const v = row[f.key];
    if (v) values.push(handleValue(templateIndexes.firstField + i, f.type, v, o));
  });
  values.push(prefixAdminValue(options.prefix, options.timestamp), templateMarkerValue(template, options.timestamp));
  return values;
}

/** A record read back as its template's fields: the template (from the marker), the fields it has, its URL. */
export interface TemplateRecord {
  template: IdentifierTemplate | undefined;
  /** Field key → value, for the fields the record holds. */
  fields: Record<string, string>;
  url: string | undefined;
}

/**
 * The template fields of a record's values (the inverse of {@link templateValues}): the template named by
 * the `YL.template` marker, each field by its value type. A record without a marker has no fields.
 */
export function templateRecordOf(values: readonly HandleValue[]): TemplateRecord {
  const marker = values.find((v) => v.type === templateValueType)?.data.toString('utf8');
  const template = marker ? templateOf(marker.split('@')[0]!) : undefined;
  const fields: Record<string, string> = {};
  for (const f of template?.fields ?? []) {
    const v = values.find((x) => x.type === f.type);
    if (v) fields[f.key] = v.data.toString('utf8');
  }
  return { template, fields, url: values.find((v) => v.index === templateIndexes.url && v.type === 'URL')?.data.toString('utf8') };
}

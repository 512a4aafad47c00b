import { type ImportColumn, type ImportMode, type ImportReport, type ImportRowError, type LifecycleState, importColumns, lifecycleStates } from '@yulian/contracts';
import { type GatewayRegistry, type Scope, YulianError, isYulianError } from '@yulian/core';
import type { AssetNodeRepository } from '../assets/asset-nodes.js';
import { type Db, newId } from '../assets/model.js';
import { checkPlacement } from '../assets/placement.js';
import { historyRow } from '../lifecycle/history.js';
import { parseCsv } from './csv.js';
import { deviceConfigFromProfile } from './device-config.js';
import type { ProfileRepository } from './profile-repository.js';

/** Validates (and completes with defaults) a gateway device configuration; throws a YulianError when it does not fit. */
export type ConfigParser = (config: Record<string, unknown>) => Record<string, unknown>;

/** What the importer needs. */
export interface ImportDeps {
  db: Db;
  registry: GatewayRegistry;
  nodes: AssetNodeRepository;
  profiles: ProfileRepository;
  /** The gateway package's schema (the server passes it); without it configurations are stored as built. */
  parseConfig?: ConfigParser;
  now: () => number;
}

/** The most rows one import takes. */
export const importMaxRows = 10_000;
const idPattern = /^[A-Za-z0-9_.:-]{1,128}$/;
const chunk = <T>(list: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

const placementColumn = { siteId: 'site', areaId: 'area', x: 'x', y: 'y', lat: 'lat', lon: 'lon' } as const satisfies Record<string, ImportColumn>;

type Row = Partial<Record<ImportColumn, string>> & { line: number };
interface ValidRow {
  line: number;
  device: { id: string; gatewayId: string; name: string; protocol: string; config: Record<string, unknown> } | undefined;
  asset: Record<string, string | number | null>;
  state: LifecycleState;
}

/** Reads the header and records into rows by column name. @throws YulianError CSV_INVALID */
function rowsOf(csv: string): Row[] {
  const [head, ...records] = parseCsv(csv, importMaxRows);
  if (!head) throw new YulianError('CSV_INVALID', 'The file is empty; the first line names the columns, e.g. id,name,gateway,host,port,site,area,x,y.');
  const cols = head.fields.map((f) => f.trim());
  const unknown = cols.filter((c) => !(importColumns as readonly string[]).includes(c));
  if (unknown.length) throw new YulianError('CSV_INVALID', `Unknown column ${unknown.map((c) => JSON.stringify(c)).join(', ')}; the columns are ${importColumns.join(', ')}.`);
  const repeated = cols.find((c, i) => cols.indexOf(c) !== i);
  if (repeated) throw new YulianError('CSV_INVALID', `Column ${repeated} appears twice.`);
  if (!cols.includes('id')) throw new YulianError('CSV_INVALID', 'The id column is missing.');
  if (records.length > importMaxRows) throw new YulianError('CSV_INVALID', `At most ${importMaxRows} rows per import; this file has ${records.length}.`);
  return records.map((r) => {
    const row: Row = { line: r.line };
    cols.forEach((c, i) => {
      const v = (r.fields[i] ?? '').trim();
      if (v !== '') row[c as ImportColumn] = v;
    });
    return row;
  });
}

/**
 * Creates devices from a profile and a CSV file: every row is checked (required columns, numbers and
 * ranges, ids repeated in the file or taken already, unknown gateway, site or area, the resulting
 * configuration); then, in one transaction with batched inserts, the gateway configurations (through
 * the registry, so gateways pick them up), the asset records and their `created` history entries.
 * `all-or-nothing` imports nothing when any row is bad (IMPORT_ROWS_INVALID with the report in details);
 * `valid-rows` imports the good rows and reports the others.
 */
export async function importDevices(deps: ImportDeps, input: { scope: Scope; profileId: string; csv: string; mode: ImportMode; actor: string | null }): Promise<ImportReport> {
  const t0 = performance.now();
  const profile = await deps.profiles.get(input.scope, input.profileId);
  const tenantId = profile.tenantId;
  if (tenantId === null) throw new YulianError('TENANT_REQUIRED', 'The profile belongs to no enterprise.');
  const rows = rowsOf(input.csv);
  const { db } = deps;

  const nodes = await deps.nodes.rowsOf(tenantId);
  const nodeByCode = new Map([...nodes.values()].map((n) => [n.code, n]));
  const lookup = (v: string) => nodes.get(v) ?? nodeByCode.get(v);
  const gateways = new Set((await db.selectFrom('gateways').select('id').where('tenant_id', '=', tenantId).execute()).map((g) => g.id));
  const ids = [...new Set(rows.map((r) => r.id).filter((v): v is string => v !== undefined))];
  const taken = new Set<string>();
  for (const part of chunk(ids, 500)) {
    for (const r of await db.selectFrom('devices').select('id').where('id', 'in', part).execute()) taken.add(r.id);
    for (const r of await db.selectFrom('device_assets').select('device_id').where('device_id', 'in', part).where('tenant_id', '=', tenantId).execute()) taken.add(r.device_id);
  }

  const errors: ImportRowError[] = [];
  const valid: ValidRow[] = [];
  const seen = new Set<string>();
  const needsGateway = profile.protocol !== 'mqtt';
  for (const row of rows) {
    const bad: ImportRowError[] = [];
    const fail = (column: ImportColumn | null, code: string, message: string): void => void bad.push({ row: row.line, column, code, message });
    const num = (c: ImportColumn, min: number, max: number, int = false): number | null => {
      const v = row[c];
      if (v === undefined) return null;
      const n = Number(v);
      if (!Number.isFinite(n) || (int && !Number.isInteger(n))) fail(c, 'NOT_A_NUMBER', `${c} ${JSON.stringify(v)} is not ${int ? 'a whole number' : 'a number'}.`);
      else if (n < min || n > max) fail(c, 'OUT_OF_RANGE', `${c} ${v} is outside ${min}..${max}.`);
      else return n;
      return null;
    };
    const id = row.id;
    if (id === undefined) fail('id', 'REQUIRED', 'id is empty.');
    else if (!idPattern.test(id)) fail('id', 'INVALID_VALUE', `id ${JSON.stringify(id)} may hold letters, digits, _ . : - (1–128).`);
    else if (seen.has(id)) fail('id', 'DUPLICATE_IN_FILE', `id ${id} appears on an earlier line.`);
    else if (taken.has(id)) fail('id', 'DEVICE_EXISTS', `A device ${id} already exists.`);
    if (id !== undefined) seen.add(id);
    if (needsGateway && row.gateway === undefined) fail('gateway', 'REQUIRED', 'gateway is empty.');
    else if (row.gateway !== undefined && !gateways.has(row.gateway)) fail('gateway', 'GATEWAY_NOT_FOUND', `No gateway ${row.gateway} in the enterprise.`);
    if (profile.protocol === 'modbus-tcp' && row.host === undefined) fail('host', 'REQUIRED', 'host is empty.');
    if (profile.protocol === 'opcua' && row.endpoint === undefined) fail('endpoint', 'REQUIRED', 'endpoint is empty (an opc.tcp:// URL).');
    const port = num('port', 1, 65535, true);
    const unitId = num('unitId', 0, 255, true);
    const [x, y, lat, lon] = [num('x', 0, 1), num('y', 0, 1), num('lat', -90, 90), num('lon', -180, 180)];
    const site = row.site === undefined ? undefined : lookup(row.site);
    const area = row.area === undefined ? undefined : lookup(row.area);
    if (row.site !== undefined && !site) fail('site', 'SITE_NOT_FOUND', `No site ${row.site} in the enterprise.`);
    if (row.area !== undefined && !area) fail('area', 'AREA_NOT_FOUND', `No workshop or line ${row.area} in the enterprise.`);
    let placement: { siteId: string | null; areaId: string | null } = { siteId: null, areaId: null };
    if ((row.site === undefined || site) && (row.area === undefined || area) && !bad.some((b) => ['x', 'y', 'lat', 'lon'].includes(b.column ?? ''))) {
      const check = checkPlacement(nodes, { siteId: site?.id ?? null, areaId: area?.id ?? null, x, y, lat, lon });
      if (!check.ok) fail(placementColumn[check.field], 'INVALID_PLACEMENT', check.message);
      else placement = check;
    }
    const state = (row.state ?? 'planned') as LifecycleState;
    if (!lifecycleStates.includes(state)) fail('state', 'INVALID_VALUE', `state ${row.state} is not one of ${lifecycleStates.join(', ')}.`);
    for (const c of ['name', 'serial', 'model', 'manufacturer'] as const) if ((row[c]?.length ?? 0) > (c === 'name' ? 200 : 128)) fail(c, 'INVALID_VALUE', `${c} is too long.`);
    let config: Record<string, unknown> | undefined;
    if (!bad.length && id !== undefined) {
      config = deviceConfigFromProfile(profile, { id, name: row.name ?? id, host: row.host, port: port ?? undefined, unitId: unitId ?? undefined, endpoint: row.endpoint });
      try {
        if (config && deps.parseConfig) config = deps.parseConfig(config);
      } catch (e) {
        fail(null, 'CONFIG_INVALID', isYulianError(e) ? e.message : String(e));
      }
    }
    if (bad.length || id === undefined) {
      errors.push(...bad);
      continue;
    }
    valid.push({
      line: row.line,
      state,
      device: config && row.gateway ? { id, gatewayId: row.gateway, name: row.name ?? id, protocol: profile.protocol, config } : undefined,
      asset: { device_id: id, name: row.name ?? id, site_id: placement.siteId, area_id: placement.areaId, x, y, lat, lon, serial: row.serial ?? '', model: row.model ?? profile.model, manufacturer: row.manufacturer ?? profile.manufacturer },
    });
  }

  const skipped = rows.length - valid.length;
  if (errors.length && input.mode === 'all-or-nothing') {
    const badRows = new Set(errors.map((e) => e.row)).size;
    throw new YulianError('IMPORT_ROWS_INVALID', `${badRows} of ${rows.length} rows are invalid, so nothing was imported; fix them or send mode valid-rows.`, { details: { imported: 0, skipped: rows.length, errors } });
  }
  if (valid.length) {
    const ts = deps.now();
    await db.transaction().execute(async (tx) => {
      const devices = valid.flatMap((v) => (v.device ? [v.device] : []));
      await deps.registry.createDevices({ kind: 'tenant', tenantId }, devices, { db: tx });
      for (const part of chunk(valid, 200)) {
        await tx.insertInto('device_assets').values(part.map((v) => ({ uid: newId(), tenant_id: tenantId, ...v.asset, lifecycle: v.state, lifecycle_since: ts, profile_id: profile.id, created_at: ts, updated_at: ts })) as never).execute();
        await tx.insertInto('device_history').values(part.map((v) => historyRow({ tenantId, device: String(v.asset['device_id']), kind: 'created', actor: input.actor, to: v.state, reason: `imported from profile ${profile.name}`, details: { profile: profile.id, line: v.line } }, ts))).execute();
      }
    });
  }
  return { imported: valid.length, skipped, errors, durationMs: Math.round(performance.now() - t0) };
}

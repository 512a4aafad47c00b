import type { DeviceHistoryEntryDto } from '@yulian/contracts';
import type { DeviceHistoryTable, Scope } from '@yulian/core';
import type { Selectable } from 'kysely';
import { randomBytes } from 'node:crypto';
import { type Db, iso } from '../assets/model.js';

/** A history entry to append: a lifecycle transition now, a maintenance work order later. */
export interface NewHistoryEntry {
  tenantId: string | null;
  device: string;
  /** `created`, `lifecycle`; the maintenance issue adds `work_order`, `maintenance` … */
  kind: string;
  actor: string | null;
  from?: string | null;
  to?: string | null;
  reason?: string;
  details?: Record<string, unknown>;
  ts?: number;
}

let seq = 0;
/** Ids sort by time, then by order of appending in this process: entries of one millisecond keep their order. */
const historyId = (ts: number): string => `${ts.toString(36).padStart(10, '0')}-${(seq++ % 1_679_616).toString(36).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;

/** The row of a new entry (for batched inserts). */
export const historyRow = (e: NewHistoryEntry, now: number) => ({
  id: historyId(e.ts ?? now),
  tenant_id: e.tenantId,
  device_id: e.device,
  ts: e.ts ?? now,
  kind: e.kind,
  actor: e.actor,
  from_state: e.from ?? null,
  to_state: e.to ?? null,
  reason: e.reason ?? '',
  details: JSON.stringify(e.details ?? {}),
});

const toEntry = (r: Selectable<DeviceHistoryTable>): DeviceHistoryEntryDto => ({
  id: r.id,
  device: r.device_id,
  ts: iso(r.ts),
  kind: r.kind,
  actor: r.actor,
  from: r.from_state,
  to: r.to_state,
  reason: r.reason,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

/**
 * A device's history: one list that lifecycle transitions and (later) maintenance work orders append
 * to. Entries are never changed or deleted.
 */
export interface DeviceHistory {
  /** Appends an entry, inside `db` when given (the caller's transaction). */
  append(entry: NewHistoryEntry, db?: Db): Promise<DeviceHistoryEntryDto>;
  /** Newest first. */
  list(scope: Scope, device: string, options?: { limit?: number; kind?: string; tenantId?: string | null }): Promise<DeviceHistoryEntryDto[]>;
}

/** Creates the history over a database handle. */
export function createDeviceHistory(db: Db, now: () => number): DeviceHistory {
  return {
    async append(entry, tx) {
      const row = historyRow(entry, now());
      await (tx ?? db).insertInto('device_history').values(row).execute();
      return toEntry(row);
    },
    async list(scope, device, options = {}) {
      let q = db.selectFrom('device_history').selectAll().where('device_id', '=', device);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      else if (options.tenantId !== undefined) q = options.tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', options.tenantId);
      if (options.kind) q = q.where('kind', '=', options.kind);
      const rows = await q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute();
      return rows.map(toEntry);
    },
  };
}

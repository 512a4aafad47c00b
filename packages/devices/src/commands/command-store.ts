import type { CommandOutcome, CommandRecord, CommandValue } from '@yulian/contracts';
import type { DeviceCommandsTable, Scope, Store } from '@yulian/core';
import type { Selectable } from 'kysely';

/** A command as it is first recorded, before the gateway answers. */
export interface NewCommand {
  id: string;
  tenantId: string | null;
  device: string;
  gatewayId: string;
  point: string;
  action: string | null;
  value: CommandValue;
  requestedBy: string;
  ip: string | null;
  createdAt: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const toRecord = (r: Selectable<DeviceCommandsTable>): CommandRecord => {
  const created = Number(r.created_at);
  const finished = r.finished_at === null ? null : Number(r.finished_at);
  return {
    id: r.id,
    device: r.device,
    gatewayId: r.gateway_id,
    point: r.point,
    action: r.action,
    value: JSON.parse(r.value) as CommandValue,
    requestedBy: r.requested_by,
    ip: r.ip,
    status: r.status === 'succeeded' || r.status === 'failed' || r.status === 'timeout' ? r.status : 'pending',
    reason: r.reason,
    readBack: r.read_back === null ? null : (JSON.parse(r.read_back) as CommandValue | null),
    verified: Number(r.verified) === 1,
    createdAt: iso(created) as string,
    finishedAt: iso(finished),
    durationMs: finished === null ? null : finished - created,
  };
};

/** The `device_commands` table: a row per command, `pending` until it ends. */
export function createCommandStore(store: Store) {
  const db = store.db;
  const get = async (id: string): Promise<CommandRecord> => toRecord(await db.selectFrom('device_commands').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  return {
    async insert(c: NewCommand): Promise<void> {
      await db
        .insertInto('device_commands')
        .values({
          id: c.id,
          tenant_id: c.tenantId,
          device: c.device,
          gateway_id: c.gatewayId,
          point: c.point,
          action: c.action,
          value: JSON.stringify(c.value),
          requested_by: c.requestedBy,
          ip: c.ip,
          status: 'pending',
          reason: null,
          read_back: null,
          verified: 0,
          created_at: c.createdAt,
          finished_at: null,
        })
        .execute();
    },
    async finish(id: string, outcome: CommandOutcome, finishedAt: number): Promise<CommandRecord> {
      await db
        .updateTable('device_commands')
        .set({ status: outcome.status, reason: outcome.reason ?? null, read_back: outcome.readBack === undefined ? null : JSON.stringify(outcome.readBack), verified: outcome.verified ? 1 : 0, finished_at: finishedAt })
        .where('id', '=', id)
        .execute();
      return get(id);
    },
    /** A device's commands, newest first. */
    async list(scope: Scope, device: string, limit: number): Promise<CommandRecord[]> {
      let q = db.selectFrom('device_commands').selectAll().where('device', '=', device);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toRecord);
    },
  };
}

/** The command table's interface. */
export type CommandStore = ReturnType<typeof createCommandStore>;

import { type ErrorCode, type Logger, isYulianError } from '@yulian/core';
import { AttributeIds, type ISessionContext, type OPCUAServer, StatusCode, StatusCodes, type WriteValue } from 'node-opcua';
import type { DeviceTree, PointEntry } from './device-nodes.js';
import type { TenantScope } from './tenant-scope.js';
import type { Users } from './users.js';
import { writtenValue } from './values.js';

/** A client's write of one point, as the platform routes it to the gateway that owns the device. */
export interface NorthboundWrite {
  device: string;
  point: string;
  value: number | boolean | string;
  /** The platform user (from `authenticate`) who wrote. */
  user: string;
}

/** Where writes go; a rejection becomes a Bad status at the client (see `writeStatusOf`). */
export type OnWrite = (request: NorthboundWrite) => Promise<void>;

/** The Bad statuses a rejected write can answer with. */
export type WriteStatusName = 'BadUserAccessDenied' | 'BadOutOfRange' | 'BadNodeIdUnknown' | 'BadTimeout' | 'BadCommunicationError';

/**
 * Status codes for errors `onWrite` rejects with, by YulianError code. Codes not listed fall back by
 * HTTP status: 401/403 → BadUserAccessDenied; anything else, and errors that are no YulianError →
 * BadCommunicationError (the write did not reach the device, or its answer did not come back).
 */
export const writeStatusByCode: Partial<Record<ErrorCode, WriteStatusName>> = {
  FORBIDDEN: 'BadUserAccessDenied',
  UNAUTHENTICATED: 'BadUserAccessDenied',
  VALUE_OUT_OF_RANGE: 'BadOutOfRange',
  VALIDATION_FAILED: 'BadOutOfRange',
  DEVICE_NOT_FOUND: 'BadNodeIdUnknown',
  MODBUS_TIMEOUT: 'BadTimeout',
};

/** The status a rejected write answers the client with. */
export function writeStatusOf(error: unknown): StatusCode {
  if (!isYulianError(error)) return StatusCodes.BadCommunicationError;
  const name = writeStatusByCode[error.code];
  if (name) return StatusCodes[name];
  return error.status === 401 || error.status === 403 ? StatusCodes.BadUserAccessDenied : StatusCodes.BadCommunicationError;
}

/** Counters of the write path. */
export interface WriteCounters {
  writes: number;
  writesRefused: number;
  writesFailed: number;
}

/**
 * Takes over Value writes of device variables: the server's own write service would store the value
 * in the variable, while a platform write has to travel to the device (and the value shown changes when
 * the device's next sample says so). Other writes keep node-opcua's handling. The engine's `write` is
 * the one place where both the session (who writes) and the request are at hand.
 */
export function routeWrites(options: { server: OPCUAServer; tree: DeviceTree; users: Users; scope: TenantScope; onWrite: OnWrite; logger?: Logger | undefined }): WriteCounters {
  const { server, tree, users, scope, onWrite, logger } = options;
  const counters: WriteCounters = { writes: 0, writesRefused: 0, writesFailed: 0 };
  const engine = server.engine;
  const nodeOpcuaWrite = engine.write.bind(engine);

  const refuse = (entry: PointEntry, status: StatusCode, user: string): StatusCode => {
    counters.writesRefused++;
    logger?.warn({ device: entry.device, point: entry.point.key, user, status: status.name }, 'OPC UA write refused');
    return status;
  };

  const writePoint = async (context: ISessionContext, entry: PointEntry, request: WriteValue): Promise<StatusCode> => {
    const platformUser = users.of(context.session);
    const user = platformUser?.user ?? context.getUserName();
    // Another enterprise's point is refused before anything that would tell it apart (BadNotWritable…).
    if (!scope.allows(context.session, entry.variable)) return refuse(entry, StatusCodes.BadUserAccessDenied, user);
    if (entry.point.access !== 'read-write') return refuse(entry, StatusCodes.BadNotWritable, user);
    // Both checks: the session's roles (what UserAccessLevel shows) and what this session's login said.
    if (!entry.variable.isUserWritable(context) || !platformUser?.canWrite) return refuse(entry, StatusCodes.BadUserAccessDenied, user);
    if (request.indexRange && !request.indexRange.isEmpty()) return refuse(entry, StatusCodes.BadIndexRangeInvalid, user);
    const value = request.value.value ? writtenValue(entry.codec, entry.point, request.value.value) : StatusCodes.BadTypeMismatch;
    if (value instanceof StatusCode) return refuse(entry, value, user);
    try {
      await onWrite({ device: entry.device, point: entry.point.key, value, user });
    } catch (error) {
      counters.writesFailed++;
      const status = writeStatusOf(error);
      logger?.warn({ device: entry.device, point: entry.point.key, user, err: error, status: status.name }, 'OPC UA write failed');
      return status;
    }
    counters.writes++;
    logger?.info({ device: entry.device, point: entry.point.key, user, value }, 'OPC UA write');
    return StatusCodes.Good;
  };

  engine.write = async (context, nodesToWrite) => {
    const entryOf = (w: WriteValue): PointEntry | undefined => (w.attributeId === AttributeIds.Value ? tree.pointOf(w.nodeId) : undefined);
    if (!nodesToWrite.some((w) => entryOf(w))) return nodeOpcuaWrite(context, nodesToWrite);
    return Promise.all(
      nodesToWrite.map(async (w) => {
        const entry = entryOf(w);
        if (entry) return writePoint(context, entry, w);
        const [status] = await nodeOpcuaWrite(context, [w]);
        return status ?? StatusCodes.BadInternalError;
      }),
    );
  };
  return counters;
}

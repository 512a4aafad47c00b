import { randomUUID } from 'node:crypto';
import { type CommandOutcome, type CommandRecord, type CommandRequest, type GatewayCommand, defaultCommandTimeoutMs } from '@yulian/contracts';
import { type AuditLog, type DeviceRecord, type GatewayRegistry, type Logger, type Scope, type Store, YulianError, isYulianError, scopeOf } from '@yulian/core';
import { type CommandStore, createCommandStore } from './command-store.js';
import { type PointRateLimiter, createPointRateLimiter } from './rate-limiter.js';
import { commandableDevice, validateCommand } from './validate.js';

/**
 * How commands reach gateways; the server implements it (in-process for the embedded gateway, over
 * the gateway link for the others).
 */
export interface CommandDispatcher {
  /** True when the gateway can take a command now; a false answer refuses it at once (GATEWAY_OFFLINE). */
  available(gatewayId: string): boolean;
  /** Sends the command and resolves with its outcome; throws GATEWAY_OFFLINE when the gateway is gone. */
  dispatch(gatewayId: string, command: Omit<GatewayCommand, 'type'>): Promise<CommandOutcome>;
}

/** Who sends a command, and from where. */
export interface CommandCaller {
  username: string;
  tenantId: string | null;
  ip: string | null;
}

/** What {@link createCommandService} needs. */
export interface CommandServiceDeps {
  store: Store;
  devices: Pick<GatewayRegistry, 'getDevice'>;
  audit: Pick<AuditLog, 'append'>;
  dispatcher: CommandDispatcher;
  limiter?: PointRateLimiter;
  logger?: Logger;
  now?: () => number;
}

/** Remote control: validates, interlocks, dispatches, records and audits commands to device points. */
export interface CommandService {
  /**
   * Runs one command to its end (succeeded, failed or timeout) and returns its record. Refusals throw
   * before anything is written: DEVICE_NOT_FOUND, POINT_NOT_FOUND, ACTION_NOT_FOUND, POINT_NOT_WRITABLE,
   * COMMAND_VALUE_INVALID, VALUE_OUT_OF_RANGE, CONFIRMATION_REQUIRED, COMMAND_RATE_LIMITED, GATEWAY_OFFLINE.
   */
  execute(caller: CommandCaller, deviceId: string, request: CommandRequest): Promise<CommandRecord>;
  /** A device's recent commands, newest first. @throws DEVICE_NOT_FOUND outside the scope */
  list(scope: Scope, deviceId: string, options?: { limit?: number }): Promise<CommandRecord[]>;
}

/**
 * Creates the command service.
 * @example const commands = createCommandService({ store, devices: registry, audit: identity.audit, dispatcher })
 */
export function createCommandService(deps: CommandServiceDeps): CommandService {
  const now = deps.now ?? Date.now;
  const limiter = deps.limiter ?? createPointRateLimiter({ now });
  const table: CommandStore = createCommandStore(deps.store);
  const log = deps.logger?.child({ component: 'commands' });

  async function refuse(caller: CommandCaller, device: DeviceRecord | undefined, deviceId: string, request: CommandRequest, e: unknown): Promise<never> {
    if (isYulianError(e)) {
      const what = 'action' in request ? { action: request.action } : { point: request.point, value: request.value };
      await deps.audit.append({ tenantId: device?.tenantId ?? caller.tenantId, actor: caller.username, ip: caller.ip, action: 'device.command', target: deviceId, outcome: 'failure', details: { ...what, refused: e.code, reason: e.message } });
      log?.info({ device: deviceId, actor: caller.username, code: e.code }, 'command refused');
    }
    throw e;
  }

  return {
    async execute(caller, deviceId, request) {
      // Another enterprise's device is simply not found (DEVICE_NOT_FOUND, no audit entry of theirs).
      const device = await deps.devices.getDevice(scopeOf(caller), deviceId);
      const gatewayId = device.gatewayId;
      let command: ReturnType<typeof validateCommand>;
      const limitKey = (point: string): string => `${deviceId}/${point}`;
      try {
        command = validateCommand(commandableDevice(device.id, device.config), request);
        // Checked and marked without an await between: two racing requests cannot both pass.
        limiter.check(limitKey(command.point.key), command.point.minCommandIntervalMs);
        if (!deps.dispatcher.available(gatewayId)) throw new YulianError('GATEWAY_OFFLINE', `Gateway ${gatewayId} of ${deviceId} is not connected to the platform; the command was not sent.`, { details: { gateway: gatewayId } });
        limiter.mark(limitKey(command.point.key));
      } catch (e) {
        return refuse(caller, device, deviceId, request, e);
      }
      const id = randomUUID();
      const createdAt = now();
      const timeoutMs = request.timeoutMs ?? defaultCommandTimeoutMs;
      await table.insert({ id, tenantId: device.tenantId, device: device.id, gatewayId, point: command.point.key, action: command.action, value: command.value, requestedBy: caller.username, ip: caller.ip, createdAt });
      let outcome: CommandOutcome;
      try {
        outcome = await deps.dispatcher.dispatch(gatewayId, { id, device: device.id, point: command.point.key, value: command.value, timeoutMs, ...(command.tolerance === undefined ? {} : { tolerance: command.tolerance }) });
      } catch (e) {
        // The gateway went away between the check and the send: nothing was written by it.
        outcome = { status: 'failed', reason: isYulianError(e) ? `${e.code}: ${e.message}` : String(e), verified: false };
      }
      const record = await table.finish(id, outcome, now());
      await deps.audit.append({
        tenantId: device.tenantId,
        actor: caller.username,
        ip: caller.ip,
        action: 'device.command',
        target: device.id,
        outcome: outcome.status === 'succeeded' ? 'success' : 'failure',
        details: { command: id, gateway: gatewayId, point: record.point, ...(record.action ? { action: record.action } : {}), value: record.value, status: record.status, ...(record.reason ? { reason: record.reason } : {}), readBack: record.readBack, durationMs: record.durationMs },
      });
      log?.info({ command: id, device: device.id, point: record.point, actor: caller.username, status: record.status, reason: record.reason, durationMs: record.durationMs }, 'command finished');
      return record;
    },
    async list(scope, deviceId, options = {}) {
      await deps.devices.getDevice(scope, deviceId);
      return table.list(scope, deviceId, Math.min(Math.max(options.limit ?? 50, 1), 500));
    },
  };
}

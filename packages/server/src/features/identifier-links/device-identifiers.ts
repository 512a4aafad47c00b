import { deviceIdentifierSchema, errorBodySchema } from '@yulian/contracts';
import { type Config, type Logger, type Scope, type Store, YulianError, scopeOf } from '@yulian/core';
import type { AssetService } from '@yulian/devices';
import { HandleError, type RecordStore, prefixAdminValue, tryParseIdentifier } from '@yulian/identifier';
import { type HandleValue, ResponseCode, handleValue } from '@yulian/protocols';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlatformIdentifier } from '../../identifier/embedded-nodes.js';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { platformSigningKeys } from '../../identifier/signing-keys.js';
import { platformRecordsOf } from './platform-trace.js';
import { identifierPath, requestOrigin } from './public-url.js';

/** What registering a device's identifier needs from the platform. */
export interface DeviceIdentifierDeps {
  store: Store;
  config: Config;
  identifier: () => PlatformIdentifier | undefined;
  logger: Logger;
}

/** A device as its identifier record describes it. */
export interface DeviceFacts {
  device: string;
  tenantId: string | null;
  name: string;
  model?: string;
  serial?: string;
  manufacturer?: string;
  /** Its stable asset identifier (`urn:uuid:…`), when it has an asset record. */
  uid?: string;
}

/**
 * The prefix a device's identifier lives under: the first enterprise prefix approved for its enterprise
 * whose records a node of this platform holds (its own in-process node, as the demo enterprise's, or the
 * platform's secondary node for a prefix without a node of its own); otherwise the platform's prefix —
 * device ids are unique across the platform, so `88.100/dev.<id>` cannot collide.
 */
export async function devicePrefix(deps: DeviceIdentifierDeps, tenantId: string | null): Promise<string> {
  if (tenantId !== null) {
    const rows = await deps.store.db.selectFrom('id_prefixes').select(['prefix', 'site']).where('tenant_id', '=', tenantId).where('state', '=', 'approved').orderBy('created_at').orderBy('prefix').execute();
    const own = new Set((deps.identifier()?.nodes ?? []).filter((n) => n.records && n.prefix).map((n) => n.prefix));
    const held = rows.find((r) => own.has(r.prefix) || r.site === null);
    if (held) return held.prefix;
  }
  return deps.config.handle.prefix;
}

/** The identifier of a device (`<prefix>/dev.<device>`), or undefined when its id cannot be a suffix. */
export async function deviceIdentifierOf(deps: DeviceIdentifierDeps, device: string, tenantId: string | null): Promise<string | undefined> {
  const parsed = tryParseIdentifier(`${await devicePrefix(deps, tenantId)}/dev.${device}`);
  return typeof parsed === 'string' ? undefined : parsed.handle;
}

/** The values of a device's record, laid out as the demo seed's: URL at 1, the facts from 2, HS_ADMIN at 100. */
function deviceValues(facts: DeviceFacts, prefix: string, origin: string): HandleValue[] {
  const entries: Array<[string, string | undefined]> = [['device.name', facts.name], ['device.model', facts.model], ['device.serial', facts.serial], ['device.manufacturer', facts.manufacturer], ['device.uid', facts.uid]];
  const fields = entries.filter((e): e is [string, string] => Boolean(e[1])).map(([type, v], i) => handleValue(2 + i, type, v));
  return [handleValue(1, 'URL', `${origin}/#/devices/${encodeURIComponent(facts.device)}`), ...fields, prefixAdminValue(prefix)];
}

/**
 * Registers a device's identifier when it has none yet (an existing record is left as it is). Answers the
 * identifier and whether its record exists on a node of this platform.
 */
export async function ensureDeviceIdentifier(deps: DeviceIdentifierDeps, facts: DeviceFacts, origin: string): Promise<{ identifier: string | undefined; registered: boolean }> {
  const identifier = await deviceIdentifierOf(deps, facts.device, facts.tenantId);
  if (!identifier) return { identifier, registered: false };
  const prefix = identifier.slice(0, identifier.indexOf('/'));
  const records: RecordStore | undefined = platformRecordsOf(deps.identifier, platformSigningKeys(deps.store, deps.config))({ prefix });
  if (!records) return { identifier, registered: false };
  if ((await records.get(identifier)) !== undefined) return { identifier, registered: true };
  try {
    await records.create(identifier, deviceValues(facts, prefix, origin));
    deps.logger.info({ device: facts.device, tenant: facts.tenantId, identifier }, 'device identifier registered');
  } catch (e) {
    // Registered meanwhile by another request: the same outcome.
    if (!(e instanceof HandleError && e.rc === ResponseCode.HANDLE_ALREADY_EXISTS)) throw e;
  }
  return { identifier, registered: true };
}

/**
 * Gives a device created through the API its identifier at once. Never fails the creation: a failure (the
 * identifier nodes still starting, say) is logged, and the device page registers it on its first visit.
 */
export async function registerNewDevice(deps: DeviceIdentifierDeps, request: FastifyRequest, device: { id: string; tenantId: string | null; name: string }): Promise<void> {
  try {
    await ensureDeviceIdentifier(deps, { device: device.id, tenantId: device.tenantId, name: device.name }, requestOrigin(request));
  } catch (err) {
    deps.logger.warn({ err, device: device.id, tenant: device.tenantId }, 'device identifier not registered; its page registers it later');
  }
}

/** What the platform knows of a device, from its asset record or its configuration / telemetry. @throws YulianError DEVICE_NOT_FOUND */
async function factsOf(assets: AssetService, scope: Scope, device: string): Promise<DeviceFacts> {
  const asset = await assets.devices.find(scope, device);
  if (asset) return { device, tenantId: asset.tenantId, name: asset.name, model: asset.model, serial: asset.serial, manufacturer: asset.manufacturer, uid: asset.identifier };
  const known = await assets.devices.known(scope, device);
  if (!known) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
  return { device, tenantId: known.tenantId, name: known.name };
}

/** `GET /api/v1/devices/{id}/identifier`: the device's identifier, registered on first use. */
export const deviceIdentifierRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  app.get(
    '/api/v1/devices/:id/identifier',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['identifiers'],
        summary: 'A device’s identifier (<enterprise prefix>/dev.<id>), registered now when it has none (a device discovered or reporting), with its public page and QR codes',
        params: z.object({ id: z.string().min(1).max(128) }),
        response: { 200: deviceIdentifierSchema, ...authErrors, ...notFound, 503: errorBodySchema.describe('SERVICE_UNAVAILABLE: identifier nodes starting') },
      },
    },
    async (request) => {
      if (!deps.identifier()) throw new YulianError('SERVICE_UNAVAILABLE', 'Identifier resolution is starting.');
      const facts = await factsOf(deps.assets, scopeOf(callerOf(request)), request.params.id);
      const { identifier, registered } = await ensureDeviceIdentifier(deps, facts, requestOrigin(request));
      const path = identifier === undefined ? undefined : identifierPath(identifier);
      return {
        device: facts.device,
        identifier: identifier ?? null,
        registered,
        pageUrl: path === undefined ? null : `/r/${path}`,
        qrSvgUrl: path === undefined ? null : `/qr/svg/${path}`,
        qrPngUrl: path === undefined ? null : `/qr/png/${path}`,
      };
    },
  );
};

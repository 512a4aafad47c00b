import { type Logger, YulianError } from '@yulian/core';
import { z } from 'zod';
import { type ConnectionConfig, connectionSchema } from '../connectors.js';
import type { DiscoveredDevice } from '../driver.js';
import type { Gateway, GatewayStatus } from '../gateway.js';

/** What the platform answers a registered gateway: who it is and what to run. */
export const gatewayAssignmentSchema = z.object({
  gateway: z.object({ id: z.string(), name: z.string(), tenantId: z.string().nullable() }),
  version: z.number().int(),
  /** Each device's driver configuration; validated again here, an invalid one is skipped and logged. */
  devices: z.array(z.record(z.string(), z.unknown())),
});
/** A gateway's assignment. */
export type GatewayAssignment = { gateway: { id: string; name: string; tenantId: string | null }; version: number; devices: ConnectionConfig[] };

/** A gateway's HTTP link to the platform that registered it (token `ylg_…`). */
export interface PlatformLink {
  /** The gateway's identity and configuration. @throws GATEWAY_TOKEN_INVALID when the platform refuses the token */
  fetchAssignment(): Promise<GatewayAssignment>;
  /** Sends a status report; answers the configuration version the platform holds. */
  reportStatus(status: GatewayStatus): Promise<{ configVersion: number }>;
  /** Tells the platform about devices a connection found (Sparkplug births). */
  reportDevices(devices: DiscoveredDevice[]): Promise<void>;
}

/**
 * Creates the link. Every call carries the gateway token as a bearer token; the platform derives the
 * gateway and its enterprise from the token, never from what the gateway says about itself.
 * @example const link = createPlatformLink({ url: 'http://platform:8080', token })
 */
export function createPlatformLink(options: { url: string; token: string; timeoutMs?: number; logger?: Logger }): PlatformLink {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new YulianError('SERVICE_UNAVAILABLE', `The platform at ${base} cannot be reached: ${(e as Error).message}`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status === 401) throw new YulianError('GATEWAY_TOKEN_INVALID', 'The platform refused the gateway token; register the gateway again and use the new token.');
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new YulianError('SERVICE_UNAVAILABLE', `The platform answered ${res.status} to ${method} ${path}: ${err?.code ?? ''} ${err?.message ?? text.slice(0, 200)}`);
    }
    return json;
  }
  return {
    async fetchAssignment() {
      const a = gatewayAssignmentSchema.parse(await call('GET', '/api/v1/gateway/config'));
      const devices: ConnectionConfig[] = [];
      for (const raw of a.devices) {
        const parsed = connectionSchema.safeParse(raw);
        if (parsed.success) devices.push(parsed.data);
        else options.logger?.error({ device: raw['id'], issues: parsed.error.issues.slice(0, 5) }, 'device configuration from the platform is invalid; skipped');
      }
      return { gateway: a.gateway, version: a.version, devices };
    },
    async reportStatus(status) {
      return z.object({ configVersion: z.number().int() }).parse(await call('POST', '/api/v1/gateway/status', status));
    },
    async reportDevices(devices) {
      await call('POST', '/api/v1/gateway/devices', { devices });
    },
  };
}

/**
 * Keeps a running gateway in step with the platform: reports its status every `intervalMs`, and when
 * the platform's configuration version differs from the one running, fetches and applies it. Devices a
 * connection discovers are reported on the next tick. Failures are logged and retried on the next tick;
 * the gateway keeps running (and buffering) through any platform outage.
 */
export function startPlatformSync(options: {
  link: PlatformLink;
  gateway: Gateway;
  intervalMs?: number;
  /** Called with each assignment applied (the CLI keeps a copy, to start with it during a platform outage). */
  onAssignment?: (a: GatewayAssignment) => void;
  logger?: Logger;
}): { discovered(d: DiscoveredDevice): void; tick(): Promise<void>; stop(): void } {
  const pending = new Map<string, DiscoveredDevice>();
  let busy: Promise<void> | undefined;
  async function tick(): Promise<void> {
    if (busy) return busy;
    busy = (async () => {
      try {
        if (pending.size > 0) {
          const batch = [...pending.values()];
          pending.clear();
          await options.link.reportDevices(batch).catch((e: unknown) => {
            for (const d of batch) if (!pending.has(d.device)) pending.set(d.device, d);
            throw e;
          });
        }
        const { configVersion } = await options.link.reportStatus(options.gateway.status());
        if (configVersion !== options.gateway.status().configVersion) {
          const a = await options.link.fetchAssignment();
          await options.gateway.reconfigure(a.devices, a.version);
          options.onAssignment?.(a);
        }
      } catch (e) {
        options.logger?.warn({ err: (e as Error).message }, 'platform sync failed; retrying');
      } finally {
        busy = undefined;
      }
    })();
    return busy;
  }
  const timer = setInterval(() => void tick(), options.intervalMs ?? 10_000);
  timer.unref();
  return {
    discovered: (d) => {
      pending.set(d.device, d);
    },
    tick,
    stop: () => clearInterval(timer),
  };
}

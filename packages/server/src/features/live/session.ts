import { type Caller, type GatewayRegistry, type IdentityService, type Logger, allTenants, can, isYulianError, tenantScope } from '@yulian/core';
import { type LiveClient, type LiveHub, type LiveScope, type LiveServerMessage, type PresenceTracker, liveClientMessageSchema } from '@yulian/devices';
import type { WebSocket } from 'ws';

/** What a live connection needs from the platform. */
export interface LiveSessionDeps {
  hub: LiveHub;
  presence: PresenceTracker;
  identity: IdentityService;
  gateways: Pick<GatewayRegistry, 'getDevice'>;
  logger: Logger;
  /** How long a connection may stay unauthenticated. Default 10 s. */
  authTimeoutMs?: number;
  /** Ping period; a peer that missed a pong is dropped at the next. Default 30 s. */
  pingIntervalMs?: number;
}

/** WebSocket close code for a policy violation (no or a bad token, a role without access). */
const policyViolation = 1008;

/**
 * Who may watch what: roles that read devices see their enterprise (platform users: all) with values;
 * `authority` sees every enterprise's status but no values; anyone else nothing.
 */
export function liveScopeOf(caller: Caller): LiveScope | undefined {
  if (can(caller.role, 'device:read')) return caller.tenantId === null ? { kind: 'all', values: true } : { kind: 'tenant', tenantId: caller.tenantId };
  if (caller.role === 'authority') return { kind: 'all', values: false };
  return undefined;
}

/**
 * True when the scope may see the device: known to presence there (it reported or sent data since the
 * start), or configured in the registry.
 */
async function visible(deps: LiveSessionDeps, scope: LiveScope, device: string): Promise<boolean> {
  if (deps.presence.get(device).some((p) => scope.kind === 'all' || p.tenantId === scope.tenantId)) return true;
  return deps.gateways.getDevice(scope.kind === 'all' ? allTenants : tenantScope(scope.tenantId), device).then(() => true, () => false);
}

/**
 * Serves one live connection: authenticates it (the `token` query parameter, else a first
 * `{type:'auth', token}` message), then handles subscribe/unsubscribe messages in order. Messages are
 * handled one after another, so a subscribe sent right behind the auth message waits for it.
 */
export function serveLiveSession(socket: WebSocket, queryToken: string | undefined, ip: string, deps: LiveSessionDeps): void {
  const log = deps.logger.child({ component: 'live' });
  let client: LiveClient | undefined;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  const direct = (message: LiveServerMessage): void => {
    if (!closed) socket.send(JSON.stringify(message));
  };
  const refuse = (code: string, message: string): void => {
    direct({ type: 'error', code, message });
    socket.close(policyViolation, code);
  };

  async function authenticate(token: string): Promise<void> {
    let caller: Caller;
    try {
      caller = await deps.identity.authenticate(token, ip);
    } catch (e) {
      return refuse(isYulianError(e) ? e.code : 'UNAUTHENTICATED', isYulianError(e) ? e.message : 'The token is not valid.');
    }
    const scope = liveScopeOf(caller);
    if (!scope) return refuse('FORBIDDEN', `The role ${caller.role} may not see devices or their status.`);
    if (closed) return;
    clearTimeout(authTimer);
    client = deps.hub.connect(socket, scope);
    client.send({ type: 'ready', user: caller.username, role: caller.role, values: scope.kind === 'tenant' || scope.values });
    log.info({ user: caller.username, tenant: caller.tenantId, client: client.id }, 'live client connected');
  }

  async function handle(raw: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return invalid('The message is not JSON.');
    }
    const parsed = liveClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      return invalid(typeof type === 'string' && !['auth', 'subscribe', 'unsubscribe'].includes(type) ? `Unknown message type ${JSON.stringify(type).slice(0, 40)}; send auth, subscribe or unsubscribe.` : `The ${String(type)} message does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    const message = parsed.data;
    if (!client) {
      if (message.type === 'auth') return authenticate(message.token);
      return refuse('UNAUTHENTICATED', 'Send {"type":"auth","token":"…"} first, or connect with ?token=.');
    }
    if (message.type === 'auth') return invalid('Already authenticated.');
    if (message.type === 'unsubscribe') return client.unsubscribe(message.devices);
    const scope = client.scope;
    const devices = [...new Set(message.devices)];
    const seen = await Promise.all(devices.map((d) => visible(deps, scope, d)));
    const ok = devices.filter((_, i) => seen[i]);
    const missing = devices.filter((_, i) => !seen[i]);
    if (missing.length) client.error('DEVICE_NOT_FOUND', `No device ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}.`);
    if (ok.length) {
      client.send({ type: 'subscribed', devices: ok });
      client.subscribe(ok, message.points);
    }
  }

  function invalid(message: string): void {
    if (client) client.error('LIVE_MESSAGE_INVALID', message);
    else refuse('LIVE_MESSAGE_INVALID', message);
  }

  const authTimer = setTimeout(() => refuse('UNAUTHENTICATED', 'No token within 10 s: connect with ?token= or send {"type":"auth","token":"…"} first.'), deps.authTimeoutMs ?? 10_000);
  authTimer.unref();
  const run = (step: () => Promise<void>): void => {
    chain = chain.then(step).catch((err: unknown) => {
      log.error({ err }, 'live message failed');
      client?.error('INTERNAL', 'The message could not be handled; it has been logged.');
    });
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return run(async () => invalid('Send JSON text frames, not binary ones.'));
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    run(() => handle(text));
  });
  // A peer gone without a close (cable pulled) answers no ping: dropped after two periods.
  let alive = true;
  socket.on('pong', () => (alive = true));
  const heartbeat = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, deps.pingIntervalMs ?? 30_000);
  heartbeat.unref();
  socket.on('close', () => {
    closed = true;
    clearTimeout(authTimer);
    clearInterval(heartbeat);
    if (client) log.info({ client: client.id, ...client.stats() }, 'live client disconnected');
    client?.close();
  });
  if (queryToken) run(() => authenticate(queryToken));
}

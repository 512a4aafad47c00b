import { connect as netConnect } from 'node:net';
import { isYulianError } from '@yulian/core';
import {
  type ClientSession,
  type EndpointDescription,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  type UserIdentityInfo,
  UserTokenType,
  makeReverseClientTransportFactory,
} from 'node-opcua';
import { type OpcTcpUrl, parseOpcTcpUrl } from './endpoint-url.js';
import { messageOf, opcuaError } from './errors.js';
import type { OpcuaAuth } from './opcua-device-config.js';
import { type PkiStore, opcuaApplicationName, opcuaApplicationUri } from './pki.js';

/** Where and how to reach an OPC UA server. */
export interface OpcuaEndpointOptions {
  endpointUrl: string;
  securityMode: 'None' | 'SignAndEncrypt';
  securityPolicy: 'None' | 'Basic256Sha256';
  auth: OpcuaAuth;
  timeoutMs: number;
}

/** An open session and the client that carries it. */
export interface OpcuaConnection {
  client: OPCUAClient;
  session: ClientSession;
  /** Closes the session (deleting its subscriptions) and the channel; never throws, bounded in time. */
  close(): Promise<void>;
}

/** Resolves with `promise`, or rejects with `onTimeout()` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * node-opcua 2.182 hands the bracketed host of `opc.tcp://[::1]:4840` to the resolver, which fails
 * (ENOTFOUND). For IPv6 literals the driver dials the socket itself and gives it to node-opcua's
 * adopt-a-socket transport (the one reverse connect uses), which then runs the normal HEL/ACK handshake.
 */
function ipv6Transport(url: OpcTcpUrl, endpointUrl: string, timeoutMs: number) {
  return makeReverseClientTransportFactory(
    () =>
      new Promise((resolve, reject) => {
        const socket = netConnect({ host: url.host, port: url.port });
        const timer = setTimeout(() => socket.destroy(new Error(`connect ETIMEDOUT [${url.host}]:${url.port}`)), timeoutMs);
        const fail = (err: Error): void => {
          clearTimeout(timer);
          reject(err);
        };
        socket.once('error', fail);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.off('error', fail);
          // node-opcua installs its own handler when it adopts the socket; until then an error must not crash.
          socket.on('error', () => undefined);
          socket.setKeepAlive(true, Math.max(1000, timeoutMs));
          resolve({ socket, endpointUrl, serverUri: '' });
        });
      }),
  );
}

const securityModeOf = { None: MessageSecurityMode.None, SignAndEncrypt: MessageSecurityMode.SignAndEncrypt } as const;
const securityPolicyOf = { None: SecurityPolicy.None, Basic256Sha256: SecurityPolicy.Basic256Sha256 } as const;

function baseClientOptions(options: OpcuaEndpointOptions, pki: PkiStore) {
  const url = parseOpcTcpUrl(options.endpointUrl);
  if (!url) throw opcuaError('OPCUA_UNREACHABLE', `${options.endpointUrl} is not an opc.tcp:// URL.`);
  return {
    applicationName: opcuaApplicationName,
    applicationUri: opcuaApplicationUri(),
    clientCertificateManager: pki.cm,
    certificateFile: pki.certificateFile,
    endpointMustExist: false,
    // One attempt per connect: the device retries with its own back-off and rebuilds everything.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    defaultTransactionTimeout: options.timeoutMs,
    ...(url.ipv6 ? { transportFactory: ipv6Transport(url, options.endpointUrl, options.timeoutMs) } : {}),
  };
}

/** Asks the server for its endpoints over an unsecured channel and returns the certificate of the one that matches. */
async function discoverServerCertificate(options: OpcuaEndpointOptions, pki: PkiStore): Promise<Buffer | undefined> {
  const client = OPCUAClient.create({ ...baseClientOptions(options, pki), clientName: 'discovery' });
  let endpoints: EndpointDescription[];
  try {
    await withTimeout(client.connect(options.endpointUrl), options.timeoutMs * 2, () => new Error(`no answer from ${options.endpointUrl} within ${options.timeoutMs * 2} ms`));
    endpoints = await client.getEndpoints();
  } finally {
    await withTimeout(client.disconnect(), options.timeoutMs, () => new Error('disconnect timed out')).catch(() => undefined);
  }
  const mode = securityModeOf[options.securityMode];
  const match = endpoints.find((e) => e.securityMode === mode && e.securityPolicyUri === securityPolicyOf[options.securityPolicy]);
  if (!match) throw opcuaError('OPCUA_UNREACHABLE', `The server offers no endpoint with ${options.securityMode}/${options.securityPolicy}.`);
  return match.serverCertificate ?? undefined;
}

const identityOf = (auth: OpcuaAuth): UserIdentityInfo =>
  auth.type === 'username' ? { type: UserTokenType.UserName, userName: auth.username, password: auth.password } : { type: UserTokenType.Anonymous };

/** Adds what an operator needs to know to a connection error. */
function explain(err: unknown, pki: PkiStore): Error {
  const message = messageOf(err);
  if (/BadSecurityChecksFailed|BadCertificateUntrusted/.test(message) && !/server certificate/.test(message)) {
    return opcuaError('OPCUA_UNTRUSTED_CERTIFICATE', `${message} — the server does not trust the gateway: give its administrator ${pki.certificateFile}.`, { cause: err });
  }
  return isYulianError(err) ? err : opcuaError('OPCUA_UNREACHABLE', message, { cause: err });
}

/**
 * Connects and opens a session, one attempt, bounded by about 2 × timeoutMs per step. With SignAndEncrypt
 * the server's certificate is fetched from its endpoints and checked against the gateway's trust list
 * first (see {@link PkiStore} for the folders).
 * @throws YulianError (OPCUA_UNREACHABLE / OPCUA_UNTRUSTED_CERTIFICATE, see errors.ts) with a one-line message.
 */
export async function openOpcuaSession(options: OpcuaEndpointOptions & { pki: PkiStore; clientName?: string }): Promise<OpcuaConnection> {
  const { pki, timeoutMs } = options;
  let client: OPCUAClient | undefined;
  try {
    const serverCertificate = options.securityMode === 'None' ? undefined : await discoverServerCertificate(options, pki);
    if (options.securityMode !== 'None') await pki.checkServerCertificate(serverCertificate);
    const created = OPCUAClient.create({
      ...baseClientOptions(options, pki),
      clientName: options.clientName ?? 'yulian',
      securityMode: securityModeOf[options.securityMode],
      securityPolicy: securityPolicyOf[options.securityPolicy],
      ...(serverCertificate ? { serverCertificate } : {}),
      requestedSessionTimeout: Math.max(60_000, timeoutMs * 10),
    });
    client = created;
    const deadline = (what: string) => () => new Error(`${what}: no answer from ${options.endpointUrl} within ${timeoutMs * 2} ms`);
    await withTimeout(created.connect(options.endpointUrl), timeoutMs * 2, deadline('connect'));
    const session = await withTimeout(created.createSession(identityOf(options.auth)), timeoutMs * 2, deadline('create session'));
    return {
      client: created,
      session,
      close: async () => {
        await withTimeout(session.close(true), timeoutMs, deadline('close session')).catch(() => undefined);
        await withTimeout(created.disconnect(), timeoutMs, deadline('disconnect')).catch(() => undefined);
      },
    };
  } catch (err) {
    if (client) await withTimeout(client.disconnect(), timeoutMs, () => new Error('disconnect timed out')).catch(() => undefined);
    throw explain(err, pki);
  }
}

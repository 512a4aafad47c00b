import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Sample } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { MessageSecurityMode, NodeId, NodeIdType, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import { type NorthboundDevice, type UpdateCounters, createDeviceTree } from './device-nodes.js';
import { type Authenticate, createUsers, grantPermissions } from './users.js';
import { type OnWrite, type WriteCounters, routeWrites } from './write-routing.js';

/** Namespace URI of the platform's devices; its index is 2 on a fresh server, but clients should resolve the URI. */
export const northboundNamespaceUri = 'urn:yulian:devices';

/** Options of `startNorthboundOpcua`. */
export interface NorthboundOpcuaOptions {
  /** TCP port (the platform passes YULIAN_OPCUA_PORT, default 4840); 0 picks a free one. */
  port: number;
  /** Listen address; default `'::'` (IPv6 and IPv4). */
  host?: string;
  /**
   * The server's PKI: its own certificate under `server/own`, the client certificates it trusts in
   * `server/trusted/certs` (unknown ones land in `server/rejected` for an administrator to move), and an
   * empty `users/` store, so X509 user tokens are refused unless a certificate is put there on purpose.
   */
  pkiDir: string;
  /** Checks a username/password login; null refuses it. */
  authenticate: Authenticate;
  /** Whether anonymous sessions may browse and read (they can never write). */
  allowAnonymous: boolean;
  /** Routes a client's write; rejecting makes the client see a Bad status (see `writeStatusOf`). */
  onWrite: OnWrite;
  logger?: Logger;
}

/** Counters of a northbound server. */
export type NorthboundStats = UpdateCounters & WriteCounters & { devices: number; variables: number; sessions: number };

/** A running northbound OPC UA server. */
export interface NorthboundOpcua {
  readonly port: number;
  /** `opc.tcp://<host>:<port>`, with the machine's name when listening on every address. */
  readonly endpointUrl: string;
  /** Index of `northboundNamespaceUri` in this server's namespace array. */
  readonly namespaceIndex: number;
  /** The NodeId string of a device's Object, or of one of its points' Variable. */
  nodeIdOf(device: string, point?: string): string;
  /** Adds a device, or brings an existing one's name and points up to date. @throws YulianError CONFLICT, VALIDATION_FAILED */
  upsertDevice(device: NorthboundDevice): void;
  /** Removes a device and its variables; false when there was none. */
  removeDevice(id: string): boolean;
  /** Shows the latest samples; unknown devices/points, unfitting values and older samples are counted and skipped. */
  update(samples: readonly Sample[]): void;
  stats(): NorthboundStats;
  close(): Promise<void>;
}

const endpointHost = (host: string): string | undefined => {
  if (host === '::' || host === '0.0.0.0') return undefined;
  return isIP(host) === 6 ? `[${host}]` : host;
};

/**
 * Starts the northbound OPC UA server: any OPC UA client can browse Objects/Yulian/Devices/<device>,
 * read and subscribe to every point, and write the writable ones. NodeIds are
 * `ns=<index of urn:yulian:devices>;s=<device>` and `ns=…;s=<device>.<point>`.
 *
 * Endpoints: None, and Basic256Sha256 SignAndEncrypt; logins by username/password through
 * `authenticate`, and anonymous ones when `allowAnonymous`. Every session may browse and read; a Value
 * write needs a read-write point and a user with `canWrite`, and goes to `onWrite`.
 *
 * Tenancy: the server exposes all devices of the platform to every authenticated (or anonymous) user.
 * `NorthboundDevice.tenantId` and `NorthboundUser.tenantId` are recorded so that a tenant filter can
 * be added when enterprises share a platform; until then, keep the port to the operator's network.
 * @example const ua = await startNorthboundOpcua({ port: 4840, pkiDir: 'data/opcua-pki', authenticate, allowAnonymous: false, onWrite })
 * @throws YulianError CONFIG_INVALID for a bad port or pkiDir; the listen error (e.g. EADDRINUSE)
 */
export async function startNorthboundOpcua(options: NorthboundOpcuaOptions): Promise<NorthboundOpcua> {
  const { port, host = '::', pkiDir, authenticate, allowAnonymous, onWrite } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new YulianError('CONFIG_INVALID', `Northbound OPC UA port ${port}: pass 0 (a free port) or 1–65535.`);
  if (typeof pkiDir !== 'string' || pkiDir.length === 0) throw new YulianError('CONFIG_INVALID', 'Northbound OPC UA pkiDir: pass a directory for the server certificate and trust list, e.g. <dataDir>/opcua-pki.');
  if (typeof authenticate !== 'function' || typeof onWrite !== 'function') throw new YulianError('CONFIG_INVALID', 'Northbound OPC UA: pass authenticate(username, password) and onWrite(request) functions.');
  const log = options.logger?.child({ component: 'northbound-opcua' });
  await mkdir(pkiDir, { recursive: true });
  const certificates = (dir: string) => new OPCUACertificateManager({ rootFolder: join(pkiDir, dir), automaticallyAcceptUnknownCertificate: false });
  const users = createUsers(authenticate, log);
  const advertised = endpointHost(host);
  const server = new OPCUAServer({
    port,
    host,
    ...(advertised && !advertised.startsWith('[') ? { hostname: advertised } : {}),
    serverCertificateManager: certificates('server'),
    userCertificateManager: certificates('users'),
    userManager: users.manager,
    allowAnonymous,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    buildInfo: { productName: 'Yulian northbound OPC UA server', manufacturerName: 'Yulian', productUri: 'urn:yulian:northbound' },
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await server.shutdown();
  };
  try {
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('node-opcua initialised no address space');
    const namespace = addressSpace.registerNamespace(northboundNamespaceUri);
    grantPermissions(namespace);
    // Numeric NodeIds for the folders keep every string NodeId free for devices.
    const numeric = (n: number) => new NodeId(NodeIdType.NUMERIC, n, namespace.index);
    const yulian = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Yulian', nodeId: numeric(1) });
    const folder = namespace.addFolder(yulian, { browseName: 'Devices', nodeId: numeric(2) });
    const tree = createDeviceTree({ namespace, folder });
    const writes = routeWrites({ server, tree, users, onWrite, logger: log });
    await server.start();
    const boundPort = server.endpoints[0]?.port ?? port;
    const endpointUrl = advertised ? `opc.tcp://${advertised}:${boundPort}` : server.getEndpointUrl();
    log?.info({ port: boundPort, endpointUrl, allowAnonymous }, 'northbound OPC UA server started');
    const ns = namespace.index;
    return {
      port: boundPort,
      endpointUrl,
      namespaceIndex: ns,
      nodeIdOf: (device, point) => `ns=${ns};s=${point === undefined ? device : `${device}.${point}`}`,
      upsertDevice: (device) => tree.upsert(device),
      removeDevice: (id) => tree.remove(id),
      update: (samples) => tree.update(samples),
      stats: () => ({ ...tree.counts(), ...writes, sessions: server.currentSessionCount }),
      async close() {
        await close();
        log?.info('northbound OPC UA server stopped');
      },
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

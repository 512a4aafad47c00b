import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Sample } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { MessageSecurityMode, NodeId, NodeIdType, OPCUACertificateManager, SecurityPolicy } from 'node-opcua';
import { type NorthboundDevice, type UpdateCounters, createDeviceTree } from './device-nodes.js';
import { ScopedOpcuaServer, scopeToTenants } from './tenant-scope.js';
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
  /** Whether anonymous sessions may connect; they see no device (not even those with tenantId null) and never write. */
  allowAnonymous: boolean;
  /** Routes a client's write; rejecting makes the client see a Bad status (see `writeStatusOf`). */
  onWrite: OnWrite;
  logger?: Logger;
}

/**
 * Counters of a northbound server; `denied` counts requests for nodes of devices the session may not
 * see (reads, browses, history reads, monitored items, browse-path targets; refused writes are in
 * `writesRefused`).
 */
export type NorthboundStats = UpdateCounters & WriteCounters & { devices: number; variables: number; sessions: number; denied: number };

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
 * Starts the northbound OPC UA server: an OPC UA client browses Objects/Yulian/Devices/<device>, reads
 * and subscribes to the points of the devices it may see, and writes the writable ones. NodeIds are
 * `ns=<index of urn:yulian:devices>;s=<device>` and `ns=…;s=<device>.<point>`.
 *
 * Endpoints: None, and Basic256Sha256 SignAndEncrypt; logins by username/password through
 * `authenticate`, and anonymous ones when `allowAnonymous`. A Value write needs a read-write point of a
 * device the session sees and a user with `canWrite`, and goes to `onWrite`.
 *
 * Tenancy, per session and from that session's own login: a user with a tenantId sees the devices with
 * that tenantId only, a platform user (tenantId null) every device, an anonymous session none (nothing
 * ties it to an enterprise; devices with tenantId null are the platform's, for its users). Devices a
 * session may not see are left out of Browse listings (a Browse starting at one, and a browse path
 * leading into one, answer BadNodeIdUnknown and BadNoMatch); Read (any attribute), HistoryRead, Write
 * and CreateMonitoredItems of their nodes answer BadUserAccessDenied. A device moved to another
 * enterprise gets new nodes, which ends the former enterprise's monitored items on it. How it is done,
 * and why node-opcua needs more than RolePermissions for it: `scopeToTenants`.
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
  const server = new ScopedOpcuaServer({
    port,
    host,
    ...(advertised && !advertised.startsWith('[') ? { hostname: advertised } : {}),
    // Listening on every address, the endpoints carry the machine's name; clients that connect by
    // localhost or 127.0.0.1 (as the start-up block prints) must find an endpoint of that name too, or
    // node-opcua clients (endpointMustExist) and UaExpert refuse.
    ...(advertised ? {} : { alternateHostname: ['localhost', '127.0.0.1'] }),
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
    const scope = scopeToTenants({ server, tree, users, namespaceIndex: namespace.index, shared: [yulian, folder] });
    const writes = routeWrites({ server, tree, users, scope, onWrite, logger: log });
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
      stats: () => ({ ...tree.counts(), ...writes, sessions: server.currentSessionCount, denied: scope.denied }),
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

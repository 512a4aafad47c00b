import { mkdtemp, rm } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, OPCUACertificateManager, OPCUAClient, StatusCodes, UserTokenType, makeReverseClientTransportFactory } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointSchema } from '@yulian/contracts';
import { type NorthboundOpcua, startNorthboundOpcua } from '@yulian/gateway';
import { freePort } from './support/opcua-test-server.js';

/**
 * node-opcua's client resolves the bracketed host of `opc.tcp://[::1]:port` as a name and fails, so the
 * test dials the IPv6 socket itself and hands it to the client's adopt-a-socket transport.
 */
const ipv6Client = (port: number, clientCertificateManager: OPCUACertificateManager): OPCUAClient =>
  OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 },
    clientCertificateManager,
    transportFactory: makeReverseClientTransportFactory(
      () =>
        new Promise((resolve, reject) => {
          const socket = netConnect({ host: '::1', port }, () => resolve({ socket, endpointUrl: `opc.tcp://[::1]:${port}`, serverUri: '' }));
          socket.once('error', reject);
        }),
    ),
  });

let dir: string;
let server: NorthboundOpcua;
let clientCm: OPCUACertificateManager;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-northbound-v6-'));
  clientCm = new OPCUACertificateManager({ rootFolder: join(dir, 'client'), automaticallyAcceptUnknownCertificate: true });
  server = await startNorthboundOpcua({
    port: await freePort('::1'),
    host: '::1',
    pkiDir: join(dir, 'pki'),
    allowAnonymous: false,
    authenticate: async (username, password) => (username === 'carol' && password === 'pw' ? { user: 'carol', canWrite: false, tenantId: null } : null),
    onWrite: async () => undefined,
  });
  server.upsertDevice({ id: 'oven-1', name: 'Oven 1', tenantId: null, points: [pointSchema.parse({ key: 'temp', unit: '°C', dataType: 'float64' })] });
});
afterAll(async () => {
  await server?.close();
  await clientCm?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('northbound OPC UA server on IPv6 without anonymous access', () => {
  it('listens on [::1] and serves a logged-in client there', async () => {
    expect(server.endpointUrl).toBe(`opc.tcp://[::1]:${server.port}`);
    server.update([{ device: 'oven-1', point: 'temp', ts: 1_700_000_000_000, receivedTs: 1_700_000_000_000, value: 182.5, quality: 'good' }]);
    const client = ipv6Client(server.port, clientCm);
    await client.connect(server.endpointUrl);
    try {
      const session = await client.createSession({ type: UserTokenType.UserName, userName: 'carol', password: 'pw' });
      const value = await session.read({ nodeId: server.nodeIdOf('oven-1', 'temp'), attributeId: AttributeIds.Value });
      expect([value.value.value, value.statusCode]).toEqual([182.5, StatusCodes.Good]);
      expect(server.stats().sessions).toBe(1);
      await session.close();
    } finally {
      await client.disconnect();
    }
  });

  it('refuses anonymous sessions when anonymous access is off', async () => {
    const client = ipv6Client(server.port, clientCm);
    await client.connect(server.endpointUrl);
    try {
      // The server offers no anonymous token policy, so the login fails (node-opcua's client already refuses to try).
      const endpoints = await client.getEndpoints();
      expect(endpoints.every((e) => (e.userIdentityTokens ?? []).every((t) => t.tokenType !== UserTokenType.Anonymous))).toBe(true);
      await expect(client.createSession()).rejects.toThrow();
      expect(server.stats().sessions).toBe(0);
    } finally {
      await client.disconnect();
    }
  });
});

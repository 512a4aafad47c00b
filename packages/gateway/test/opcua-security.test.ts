import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { type Connector, createOpcuaDevice, opcuaClientCertificate, opcuaDeviceSchema } from '@yulian/gateway';
import { type OpcuaTestServer, startOpcuaTestServer } from './support/opcua-test-server.js';

const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let dir: string;
let server: OpcuaTestServer;
let device: Connector | undefined;

/** What an operator does to make the gateway trust a server: put its certificate in <pkiDir>/trusted/certs/. */
async function trustServer(pkiDir: string): Promise<void> {
  await mkdir(join(pkiDir, 'trusted', 'certs'), { recursive: true });
  await copyFile(server.certificateFile, join(pkiDir, 'trusted', 'certs', basename(server.certificateFile)));
}

function startDevice(pkiDir: string, auth: { username: string; password: string }, security: 'None' | 'SignAndEncrypt' = 'SignAndEncrypt') {
  const samples: Sample[] = [];
  const config = opcuaDeviceSchema.parse({
    id: 'secure-1',
    protocol: 'opcua',
    endpointUrl: server.endpointUrl,
    securityMode: security,
    securityPolicy: security === 'None' ? 'None' : 'Basic256Sha256',
    auth: { type: 'username', ...auth },
    publishingIntervalMs: 100,
    samplingIntervalMs: 50,
    timeoutMs: 2000,
    points: [{ key: 'temp', dataType: 'float64', opcua: { nodeId: 'ns=1;s=Line1.Temperature' } }],
  });
  device = createOpcuaDevice(config, { onSamples: (s) => samples.push(...s), pkiDir });
  device.start();
  const d = device;
  return { samples, status: () => d.devices()[0] };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-opcua-security-'));
  server = await startOpcuaTestServer({ pkiDir: join(dir, 'server-pki'), secure: { users: { operator: 's3cret' } } });
});
afterEach(async () => {
  await device?.stop();
  device = undefined;
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('OPC UA device security and login', () => {
  it('connects with a user name once each side has the other’s certificate in its trusted folder', async () => {
    const pkiDir = join(dir, 'gateway-a');
    await server.trustClient(await opcuaClientCertificate(pkiDir));
    await trustServer(pkiDir);
    const d = startDevice(pkiDir, { username: 'operator', password: 's3cret' });
    await waitFor(() => d.samples.some((s) => s.quality === 'good'), 8000, 'a value over the secure channel');
    expect(d.status()).toMatchObject({ state: 'online', lastError: undefined });
    server.set('Temperature', 26);
    await waitFor(() => d.samples.at(-1)?.value === 26, 3000, 'a change');
  });

  it('refuses an untrusted server with a lastError that says where its certificate went, and connects once it is moved to trusted/certs', async () => {
    const pkiDir = join(dir, 'gateway-b');
    await server.trustClient(await opcuaClientCertificate(pkiDir));
    const d = startDevice(pkiDir, { username: 'operator', password: 's3cret' });
    await waitFor(() => d.status()?.state === 'offline', 8000, 'the refusal');
    expect(d.status()?.lastError).toMatch(/server certificate is not trusted \(BadCertificateUntrusted\): it was saved in .*rejected; move it to .*trusted\/certs/);
    expect(d.samples.some((s) => s.quality === 'good')).toBe(false);
    const [rejected] = await readdir(join(pkiDir, 'rejected'));
    expect(rejected).toMatch(/\.pem$/);
    await rename(join(pkiDir, 'rejected', rejected ?? ''), join(pkiDir, 'trusted', 'certs', rejected ?? ''));
    await waitFor(() => d.status()?.state === 'online', 8000, 'online after trusting the server');
  });

  it('reports that the server does not trust the gateway, naming the certificate to hand over', async () => {
    const pkiDir = join(dir, 'gateway-c');
    await trustServer(pkiDir);
    const d = startDevice(pkiDir, { username: 'operator', password: 's3cret' });
    await waitFor(() => d.status()?.state === 'offline', 8000, 'the refusal');
    expect(d.status()?.lastError).toMatch(/BadSecurityChecksFailed.*does not trust the gateway: give its administrator .*own\/certs\/client_certificate\.pem/);
  });

  it('logs in with a user name over an unsigned channel too, the password encrypted for the server', async () => {
    const d = startDevice(join(dir, 'gateway-d'), { username: 'operator', password: 's3cret' }, 'None');
    await waitFor(() => d.samples.some((s) => s.quality === 'good'), 8000, 'a value');
    expect(d.status()?.state).toBe('online');
  });

  it('reports a wrong password as the server’s refusal of the session', async () => {
    const pkiDir = join(dir, 'gateway-a');
    const d = startDevice(pkiDir, { username: 'operator', password: 'wrong' });
    await waitFor(() => d.status()?.state === 'offline', 8000, 'the refusal');
    expect(d.status()?.lastError).toMatch(/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
  });
});

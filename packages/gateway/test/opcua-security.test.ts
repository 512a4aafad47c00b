import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { createOpcuaDevice, opcuaClientCertificate, opcuaDeviceSchema } from '@yulian/gateway';
import { useOpcuaTestServer, waitFor } from './support/opcua-fixture.js';

const opcua = useOpcuaTestServer('security', { secure: { users: { operator: 's3cret' } } });

/** What an operator does to make the gateway trust a server: put its certificate in <pkiDir>/trusted/certs/. */
async function trustServer(pkiDir: string): Promise<void> {
  await mkdir(join(pkiDir, 'trusted', 'certs'), { recursive: true });
  await copyFile(opcua.server.certificateFile, join(pkiDir, 'trusted', 'certs', basename(opcua.server.certificateFile)));
}

function startDevice(pkiDir: string, auth: { username: string; password: string }, security: 'None' | 'SignAndEncrypt' = 'SignAndEncrypt') {
  const samples: Sample[] = [];
  const config = opcuaDeviceSchema.parse({
    id: 'secure-1',
    protocol: 'opcua',
    endpointUrl: opcua.server.endpointUrl,
    securityMode: security,
    securityPolicy: security === 'None' ? 'None' : 'Basic256Sha256',
    auth: { type: 'username', ...auth },
    publishingIntervalMs: 100,
    samplingIntervalMs: 50,
    timeoutMs: 2000,
    points: [{ key: 'temp', dataType: 'float64', opcua: { nodeId: 'ns=1;s=Line1.Temperature' } }],
  });
  const d = opcua.run(createOpcuaDevice(config, { onSamples: (s) => samples.push(...s), pkiDir }));
  return { samples, status: () => d.devices()[0] };
}

describe('OPC UA device security and login', () => {
  it('connects with a user name once each side has the other’s certificate in its trusted folder', async () => {
    const pkiDir = join(opcua.dir, 'gateway-a');
    await opcua.server.trustClient(await opcuaClientCertificate(pkiDir));
    await trustServer(pkiDir);
    const d = startDevice(pkiDir, { username: 'operator', password: 's3cret' });
    await waitFor(() => d.samples.some((s) => s.quality === 'good'), 8000, 'a value over the secure channel');
    expect(d.status()).toMatchObject({ state: 'online', lastError: undefined });
    opcua.server.set('Temperature', 26);
    await waitFor(() => d.samples.at(-1)?.value === 26, 3000, 'a change');
  });

  it('refuses an untrusted server with a lastError that says where its certificate went, and connects once it is moved to trusted/certs', async () => {
    const pkiDir = join(opcua.dir, 'gateway-b');
    await opcua.server.trustClient(await opcuaClientCertificate(pkiDir));
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
    const pkiDir = join(opcua.dir, 'gateway-c');
    await trustServer(pkiDir);
    const d = startDevice(pkiDir, { username: 'operator', password: 's3cret' });
    await waitFor(() => d.status()?.state === 'offline', 8000, 'the refusal');
    expect(d.status()?.lastError).toMatch(/BadSecurityChecksFailed.*does not trust the gateway: give its administrator .*own\/certs\/client_certificate\.pem/);
  });

  it('logs in with a user name over an unsigned channel too, the password encrypted for the server', async () => {
    const d = startDevice(join(opcua.dir, 'gateway-d'), { username: 'operator', password: 's3cret' }, 'None');
    await waitFor(() => d.samples.some((s) => s.quality === 'good'), 8000, 'a value');
    expect(d.status()?.state).toBe('online');
  });

  it('reports a wrong password as the server’s refusal of the session', async () => {
    const pkiDir = join(opcua.dir, 'gateway-a');
    const d = startDevice(pkiDir, { username: 'operator', password: 'wrong' });
    await waitFor(() => d.status()?.state === 'offline', 8000, 'the refusal');
    expect(d.status()?.lastError).toMatch(/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { type DeviceState, createOpcuaDevice, opcuaDeviceSchema } from '@yulian/gateway';
import { useOpcuaTestServer, waitFor } from './support/opcua-fixture.js';

const opcua = useOpcuaTestServer('reconnect');

function startDevice(endpointUrl: string) {
  const samples: Sample[] = [];
  const states: DeviceState[] = [];
  const config = opcuaDeviceSchema.parse({
    id: 'kiln-2',
    protocol: 'opcua',
    endpointUrl,
    publishingIntervalMs: 100,
    samplingIntervalMs: 50,
    timeoutMs: 1000,
    points: [
      { key: 'temp', dataType: 'float64', opcua: { nodeId: 'ns=1;s=Line1.Temperature' } },
      { key: 'mode', dataType: 'int16', opcua: { nodeId: 'ns=1;s=Line1.Mode' } },
    ],
  });
  const d = opcua.run(createOpcuaDevice(config, { onSamples: (s) => samples.push(...s), onStatus: (s) => states.push(s.state), pkiDir: join(opcua.dir, 'gateway-pki') }));
  return { device: d, samples, states, status: () => d.devices()[0], last: (key: string) => samples.filter((s) => s.point === key).at(-1) };
}

describe('OPC UA device reconnection', () => {
  it('rebuilds session and subscription when the server closes the session but keeps the connection', async () => {
    const { server } = opcua;
    server.set('Temperature', 20);
    const d = startDevice(server.endpointUrl);
    await waitFor(() => d.last('temp')?.value === 20, 5000, 'the first value');
    server.killSessions();
    await waitFor(() => d.status()?.counters.reconnects === 1, 8000, 'a new session');
    server.set('Temperature', 24);
    await waitFor(() => d.last('temp')?.value === 24, 3000, 'a change after the new session');
    expect(d.samples.some((s) => s.reason === 'OPCUA_DISCONNECTED')).toBe(true);
    expect(d.status()?.state).toBe('online');
  });

  it('goes offline with each point’s last value marked stale once, and resubscribes when a new server starts on the same port', async () => {
    const { port, endpointUrl } = opcua.server;
    opcua.server.set('Temperature', 20);
    const d = startDevice(endpointUrl);
    await waitFor(() => d.last('temp')?.value === 20, 5000, 'the first value');
    opcua.server.set('Temperature', 22.5);
    await waitFor(() => d.last('temp')?.value === 22.5, 3000, 'a change');

    await opcua.stopServer();
    await waitFor(() => d.status()?.state === 'offline', 3000, 'offline');
    expect(d.status()?.lastError).toBeTruthy();
    expect(d.last('temp')).toMatchObject({ value: 22.5, quality: 'bad', reason: 'OPCUA_DISCONNECTED' });
    expect(d.last('mode')).toMatchObject({ value: 1, quality: 'bad', reason: 'OPCUA_DISCONNECTED' });
    // Several attempts fail while the server is down; the staleness is reported once.
    await new Promise((r) => setTimeout(r, 600));
    expect(d.samples.filter((s) => s.reason === 'OPCUA_DISCONNECTED')).toHaveLength(2);
    expect(d.status()?.lastError).toMatch(/ECONNREFUSED|connect/i);

    // A new server: no sessions, no subscriptions; its Temperature starts at 20 again.
    const server = await opcua.restartServer(port);
    await waitFor(() => d.status()?.state === 'online', 8000, 'online again');
    await waitFor(() => d.last('temp')?.quality === 'good' && d.last('temp')?.value === 20, 3000, 'the value from the new server');
    server.set('Temperature', 23);
    await waitFor(() => d.last('temp')?.value === 23, 3000, 'a change on the new server');
    expect(d.states).toEqual(['online', 'offline', 'online']);
    expect(d.status()).toMatchObject({ lastError: undefined, counters: { connects: 2, reconnects: 1, monitoredItems: 2 } });
  });
});

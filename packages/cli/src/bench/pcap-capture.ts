// The `pcap` bench's capture: Modbus polling as the virtual factory's plant makes it — four clients (HMI,
// SCADA, historian, engineering station) polling six PLCs over their own TCP connections, reading holding
// and input registers and coils every cycle, with some writes and the odd exception — written as a
// classic pcap until it reaches the size asked for.
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeRequest } from '@yulian/protocols';
import { createTcpSession, pcapFileHeader, pcapRecord, type TcpSession } from '@yulian/security';

const clients = ['10.10.1.11', '10.10.1.12', '10.10.1.13', '10.10.1.20'];
const plcs = ['10.10.2.1', '10.10.2.2', '10.10.2.3', '10.10.2.4', '10.10.2.5', '10.10.2.6'];

/** What went into the capture. */
export interface PollingCapture {
  bytes: number;
  packets: number;
  transactions: number;
}

/** A deterministic pseudo-random sequence (no Math.random: the same capture every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** The response PDU frame answering one request, as the PLC would send it. */
function answer(tid: number, unit: number, fc: number, count: number, address: number, rnd: () => number): Buffer {
  let pdu: Buffer;
  if (rnd() < 0.01) pdu = Buffer.from([fc | 0x80, 2]);
  else if (fc === 3 || fc === 4) {
    pdu = Buffer.allocUnsafe(2 + count * 2);
    pdu[0] = fc;
    pdu[1] = count * 2;
    for (let i = 0; i < count; i++) pdu.writeUInt16BE((address * 7 + i * 131 + tid) & 0xffff, 2 + 2 * i);
  } else if (fc === 1 || fc === 2) {
    const bytes = Math.ceil(count / 8);
    pdu = Buffer.alloc(2 + bytes);
    pdu[0] = fc;
    pdu[1] = bytes;
    for (let i = 0; i < bytes; i++) pdu[2 + i] = (tid * 37 + i) & 0xff;
  } else {
    pdu = Buffer.allocUnsafe(5);
    pdu[0] = fc;
    pdu.writeUInt16BE(address, 1);
    pdu.writeUInt16BE(fc === 6 ? count : fc === 5 ? 0xff00 : count, 3);
  }
  const frame = Buffer.allocUnsafe(7 + pdu.length);
  frame.writeUInt16BE(tid, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame[6] = unit;
  pdu.copy(frame, 7);
  return frame;
}

/** Writes the polling capture to `path` until it holds at least `targetBytes`. */
export function writePollingCapture(path: string, targetBytes: number): PollingCapture {
  const rnd = lcg(7);
  const fd = openSync(path, 'w');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const out = { bytes: 0, packets: 0, transactions: 0 };
  let ts = Date.UTC(2026, 10, 29, 6, 0, 0);
  const put = (frame: Buffer): void => {
    const record = pcapRecord(ts, frame);
    pending.push(record);
    pendingBytes += record.length;
    out.packets++;
    ts += 0.05 + rnd() * 0.2;
    if (pendingBytes >= 4 << 20) flush();
  };
  const flush = (): void => {
    const chunk = Buffer.concat(pending);
    writeSync(fd, chunk);
    out.bytes += chunk.length;
    pending = [];
    pendingBytes = 0;
  };
  try {
    const header = pcapFileHeader();
    writeSync(fd, header);
    out.bytes += header.length;
    const sessions: Array<{ s: TcpSession; tid: number; unit: number }> = [];
    let port = 41000;
    for (const c of clients) for (const p of plcs) sessions.push({ s: createTcpSession({ ip: c, port: port++ }, { ip: p, port: 502 }), tid: 0, unit: 1 + (sessions.length % 3) });
    for (const x of sessions) for (const f of x.s.open()) put(f);
    while (out.bytes + pendingBytes < targetBytes) {
      for (const x of sessions) {
        // One cycle: holding registers, input registers, coils; a write now and then.
        for (const [fc, count, address] of [[3, 10 + Math.floor(rnd() * 50), 0], [4, 8 + Math.floor(rnd() * 24), 100], [1, 16 + Math.floor(rnd() * 48), 0]] as const) {
          poll(x, fc, count, address);
        }
        const r = rnd();
        if (r < 0.02) poll(x, 6, Math.floor(rnd() * 1000), 40);
        else if (r < 0.03) poll(x, 16, 4, 50);
        else if (r < 0.035) poll(x, 5, 1, 3);
        else if (r < 0.06) poll(x, 2, 16, 0);
      }
      ts += 100;
    }
    for (const x of sessions) for (const f of x.s.close()) put(f);
    flush();
  } finally {
    closeSync(fd);
  }
  return out;

  function poll(x: { s: TcpSession; tid: number; unit: number }, fc: number, count: number, address: number): void {
    x.tid = (x.tid + 1) & 0xffff;
    const request =
      fc === 6 ? encodeRequest(x.tid, x.unit, { fc: 6, address, value: count })
      : fc === 16 ? encodeRequest(x.tid, x.unit, { fc: 16, address, values: [1, 2, 3, 4] })
      : fc === 5 ? encodeRequest(x.tid, x.unit, { fc: 5, address, value: true })
      : encodeRequest(x.tid, x.unit, { fc: fc as 1 | 2 | 3 | 4, address, count });
    put(x.s.send('client', request));
    put(x.s.send('server', answer(x.tid, x.unit, fc, count, address, rnd)));
    // The client's delayed ACK, every other exchange.
    if (x.tid % 2 === 0) put(x.s.ack('client'));
    out.transactions++;
  }
}

// `yulian bench security-rules`: the OT security detection engine (issue 7) with the built-in ATT&CK for
// ICS rules and a learned baseline in enforcing mode, over a plant's Modbus traffic as the guards report
// it — 50 PLCs polled every second by one gateway, with writes and an attacker's scan mixed in — against
// an inline loop doing the cheapest useful check on the same observations (is this a write from a source
// not on the allowed list?).
import type { ModbusObservation, Observation } from '@yulian/contracts';
import { builtinRules, createBaseline, createDetectionEngine } from '@yulian/security';
import type { BenchResult } from './types.js';

const plcs = 50;
const t0 = Date.UTC(2025, 2, 3, 0, 0);

/** The stream: each simulated second every PLC gets 3 reads from the gateway; every 10 s a write; every 1,000th observation an attacker's. */
function makeStream(count: number): Observation[] {
  const out: Observation[] = [];
  let tid = 0;
  for (let i = 0; out.length < count; i++) {
    const second = Math.floor(i / (plcs * 3));
    const plc = Math.floor(i / 3) % plcs;
    const ts = t0 + second * 1000 + plc * 10 + (i % 3);
    const attacker = out.length % 1000 === 999;
    const write = attacker || (second % 10 === 0 && i % 3 === 2);
    const obs: ModbusObservation = {
      kind: 'modbus',
      ts,
      tenantId: 'tenant-a',
      via: 'guard',
      source: { ip: attacker ? '10.66.0.9' : '10.0.0.2', port: 40_000 + (plc % 1000) },
      target: { ip: `10.0.1.${plc + 1}`, port: 502 },
      deviceId: `plc-${plc}`,
      tid: ++tid & 0xffff,
      unit: 1,
      functionCode: write ? 6 : 3,
      func: write ? 'WRITE_SINGLE_REGISTER' : 'READ_HOLDING_REGISTERS',
      address: write ? 1 : (i % 3) * 20,
      quantity: write ? 1 : 20,
      ...(write ? { requestValues: [100] } : { responseValues: new Array<number>(20).fill(7) }),
      matched: true,
      write,
      ...(write ? { pointRange: { min: 0, max: 150, point: 'feed_override' } } : {}),
    };
    out.push(obs);
  }
  return out;
}

/** Engine throughput (observations/s) against the inline check, on the same stream. */
export async function benchSecurityRules(options: { rows?: number } = {}): Promise<BenchResult> {
  const count = options.rows ?? 300_000;
  const learn = makeStream(plcs * 3 * 60);
  const stream = makeStream(count);
  const baseline = createBaseline();
  let events = 0;
  const engine = createDetectionEngine({ rules: builtinRules(), baseline, commanders: [{ tenantId: 'tenant-a', ip: '10.0.0.2' }], onEvent: () => void events++ });
  // A minute of learning, then enforcing: the usual production state.
  baseline.setMode('tenant-a', 'learning', t0);
  for (const o of learn) engine.observe(o);
  baseline.setMode('tenant-a', 'enforcing', t0 + 60_000);
  const shifted = stream.map((o) => ({ ...o, ts: o.ts + 60_000 }));
  for (const o of shifted.slice(0, 20_000)) engine.observe(o); // warm-up
  events = 0;
  let t = process.hrtime.bigint();
  for (const o of shifted) engine.observe(o);
  const engineSeconds = Number(process.hrtime.bigint() - t) / 1e9;

  const allowed = new Set(['10.0.0.2']);
  let flagged = 0;
  t = process.hrtime.bigint();
  for (const o of shifted) if (o.kind === 'modbus' && o.write && !allowed.has(o.source.ip)) flagged++;
  const inlineSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (flagged === 0 || events === 0) throw new Error(`the stream's attacker writes went unnoticed (inline ${flagged}, engine ${events})`);

  const measured = { label: `detection engine (${builtinRules().length} built-in rules, baseline enforcing; ${events} events)`, rate: count / engineSeconds, unit: 'observations/s', seconds: engineSeconds };
  const base = { label: `inline check "write from a source not allowed" (${flagged} flagged)`, rate: count / inlineSeconds, unit: 'observations/s', seconds: inlineSeconds };
  return { name: 'security-rules', description: `${count.toLocaleString('en')} Modbus observations from ${plcs} guarded PLCs`, measured, baseline: base, ratio: measured.rate / base.rate };
}

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation, Point, SecurityEvent } from '@yulian/contracts';
import { type AuditLog, type Config, type Logger, type Store, YulianError } from '@yulian/core';
import { type ModbusGuard, startModbusGuard } from '@yulian/gateway';
import { type ModbusTransaction, spanOf, unscale } from '@yulian/protocols';
import {
  type Baseline,
  type BaselineStore,
  type CaptureSummary,
  type Commander,
  type DetectionEngine,
  type DetectionRule,
  type RuleError,
  type SecurityEventStore,
  analyzeCapture,
  builtinRules,
  checkRules,
  createBaseline,
  createBaselineStore,
  createDetectionEngine,
  createSecurityEventStore,
  flushBaseline,
} from '@yulian/security';

/** A rule file that could not be loaded: its name and every error with its line. */
export interface RuleFileProblem {
  file: string;
  errors: RuleError[];
}

/** A source blocked by the active response or by hand, until a time. */
export interface Block {
  ip: string;
  until: number;
  reason: string;
  by: string;
  eventId?: string;
}

/** Whether and how the monitor blocks attacking sources by itself. */
export interface ActiveResponse {
  enabled: boolean;
  blockLevel: number;
  blockSeconds: number;
}

/** A guarded Modbus device as the monitor knows it. */
export interface GuardInfo {
  deviceId: string;
  tenantId: string | null;
  listen: { host: string; port: number };
  upstream: { host: string; port: number };
  stats: ReturnType<ModbusGuard['stats']>;
}

/** What the monitor counts. */
export interface SecurityMonitorStats {
  observations: number;
  rejected: number;
  events: number;
  stored: number;
  storeFailures: number;
  queueDropped: number;
  blocks: number;
  captures: { analysed: number; rejected: number };
}

/** What `startSecurityMonitor` needs. */
export interface SecurityMonitorOptions {
  store: Store;
  logger: Logger;
  config: Config['security'];
  dataDir: string;
  audit: AuditLog;
  /** Time source (tests bind it to simulated time). */
  now?: () => number;
}

/** The platform's OT security monitor: one detection engine fed by every sensor the platform has. */
export interface SecurityMonitor {
  /** One observation from any sensor; an invalid one is counted and logged, never thrown. */
  observe(obs: Observation): void;
  /** Events raised so far are stored (tests and shutdown). */
  flush(): Promise<void>;
  readonly engine: DetectionEngine;
  readonly events: SecurityEventStore;
  readonly baseline: Baseline;
  readonly baselineStore: BaselineStore;
  /** Rule files in the rules folder that were refused (the built-in rules always load). */
  ruleProblems(): readonly RuleFileProblem[];
  /** Puts a guard in front of a Modbus device; its transactions and connections become observations. */
  guardModbus(o: { deviceId: string; tenantId: string | null; upstream: { host: string; port: number }; points?: readonly Point[]; listen?: { host: string; port: number } }): Promise<ModbusGuard>;
  guards(): GuardInfo[];
  /** Sources allowed to command devices (the platform's gateways, engineering stations). */
  setCommanders(commanders: readonly Commander[]): void;
  /** The active response's settings (from YULIAN_ACTIVE_RESPONSE, YULIAN_BLOCK_LEVEL, YULIAN_BLOCK_SECONDS; changeable at run time). */
  activeResponse(): ActiveResponse;
  setActiveResponse(change: Partial<ActiveResponse>): ActiveResponse;
  /** Blocks a source at every guard until `seconds` from now (audited). */
  block(ip: string, seconds: number, reason: string, by: string, more?: { eventId?: string; tenantId?: string | null }): Promise<Block>;
  unblock(ip: string, by: string): Promise<boolean>;
  blocks(): Block[];
  isBlocked(ip: string): boolean;
  /** Analyses a capture (a stream of its bytes) for one enterprise: every transaction, anomaly and connection attempt is an observation. */
  analyzeCapture(source: AsyncIterable<Uint8Array>, o: { tenantId: string | null }): Promise<CaptureSummary>;
  /** Called with every stored event. */
  onEvent(listener: (event: SecurityEvent) => void): () => void;
  /** Called synchronously with every observation the engine took (keep it cheap: it runs per packet). */
  onObservation(listener: (obs: Observation) => void): () => void;
  /** The allowed commanders (the platform's gateways, engineering stations) last set. */
  commanders(): readonly Commander[];
  stats(): SecurityMonitorStats;
  close(): Promise<void>;
}

/** Events waiting to be stored before new ones are dropped (and counted). */
const maxQueue = 50_000;

/**
 * Starts the security monitor: the built-in ATT&CK for ICS rules plus the rule files of the rules
 * folder, the learned baseline (loaded from the store, flushed every 10 s), the event store, and the
 * active response (blocks at the guards). Observations are processed synchronously by the engine;
 * raised events are stored in order by one writer.
 */
export async function startSecurityMonitor(options: SecurityMonitorOptions): Promise<SecurityMonitor> {
  const { store, config } = options;
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: 'security' });
  const events = createSecurityEventStore(store);
  const baselineStore = createBaselineStore(store);
  const baseline = createBaseline();
  const loaded = await baselineStore.load();
  baseline.load(loaded.entries, loaded.states);

  const problems: RuleFileProblem[] = [];
  const rules: DetectionRule[] = [...builtinRules()];
  const rulesDir = config.rulesDir ?? join(options.dataDir, 'security-rules');
  const files = await readdir(rulesDir).catch(() => [] as string[]);
  for (const file of files.filter((f) => /\.ya?ml$/i.test(f)).sort()) {
    const text = await readFile(join(rulesDir, file), 'utf8');
    const { rules: parsed, errors } = checkRules(text, { file, known: rules });
    if (errors.length) {
      problems.push({ file, errors });
      log.error({ file, errors: errors.slice(0, 20) }, `rule file ${file} refused: ${errors.length} error(s), first: line ${errors[0]!.line}: ${errors[0]!.message}`);
      continue;
    }
    rules.push(...parsed);
    log.info({ file, rules: parsed.length }, 'detection rules loaded');
  }

  const counters: SecurityMonitorStats = { observations: 0, rejected: 0, events: 0, stored: 0, storeFailures: 0, queueDropped: 0, blocks: 0, captures: { analysed: 0, rejected: 0 } };
  const listeners = new Set<(e: SecurityEvent) => void>();
  const observers = new Set<(o: Observation) => void>();
  let commanderList: readonly Commander[] = [];
  const blockList = new Map<string, Block>();
  // Blocks outlive a restart: those still running are loaded back.
  for (const row of await store.db.selectFrom('security_blocks').selectAll().where('until', '>', now()).execute()) {
    blockList.set(row.ip, { ip: row.ip, until: Number(row.until), reason: row.reason, by: row.blocked_by, ...(row.event_id ? { eventId: row.event_id } : {}) });
  }
  if (blockList.size) log.warn({ blocks: [...blockList.keys()] }, 'sources still blocked from before the restart');
  const guardList: Array<{ guard: ModbusGuard; tenantId: string | null }> = [];
  let queue: SecurityEvent[] = [];
  let writing: Promise<void> = Promise.resolve();

  const drain = (): Promise<void> =>
    (writing = writing.then(async () => {
      while (queue.length) {
        const batch = queue;
        queue = [];
        try {
          await events.append(batch);
          counters.stored += batch.length;
        } catch (err) {
          counters.storeFailures += batch.length;
          log.error({ err, events: batch.length }, 'security events could not be stored');
          continue;
        }
        for (const e of batch) for (const l of listeners) safely(() => l(e));
      }
    }));

  const safely = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      log.error({ err }, 'a security event listener failed');
    }
  };

  const engine = createDetectionEngine({
    rules,
    baseline,
    logger: log,
    onEvent: (event) => {
      counters.events++;
      if (queue.length >= maxQueue) {
        counters.queueDropped++;
        if (counters.queueDropped % 1000 === 1) log.error({ dropped: counters.queueDropped }, 'security event queue full: events dropped');
      } else queue.push(event);
      void drain();
      respond(event);
    },
  });

  const response = { enabled: config.activeResponse, blockLevel: config.blockLevel, blockSeconds: config.blockSeconds };
  /** Active response (Wazuh's): a rule that asks for a block, or any event at or above the block level, blocks its source. */
  const respond = (event: SecurityEvent): void => {
    const ip = event.source.ip;
    if (!ip || !response.enabled) return;
    const seconds = event.response?.seconds ?? (event.level >= response.blockLevel ? response.blockSeconds : undefined);
    if (seconds === undefined) return;
    if (isBlocked(ip)) return;
    void block(ip, seconds, `${event.ruleId} ${event.titleEn}`, 'active-response', { eventId: event.id, tenantId: event.tenantId }).catch((err: unknown) => log.error({ err, ip }, 'active response failed'));
  };

  const isBlocked = (ip: string): boolean => {
    const b = blockList.get(ip);
    if (!b) return false;
    if (b.until > now()) return true;
    blockList.delete(ip);
    return false;
  };

  const block = async (ip: string, seconds: number, reason: string, by: string, more: { eventId?: string; tenantId?: string | null } = {}): Promise<Block> => {
    const { eventId } = more;
    const b: Block = { ip, until: now() + seconds * 1000, reason, by, ...(eventId ? { eventId } : {}) };
    blockList.set(ip, b);
    counters.blocks++;
    const row = { until: b.until, reason: reason.slice(0, 500), blocked_by: by, event_id: eventId ?? null, tenant_id: more.tenantId ?? null, created_at: Date.now() };
    await store.db
      .insertInto('security_blocks')
      .values({ ip, ...row })
      .onConflict((oc) => oc.column('ip').doUpdateSet(row))
      .execute();
    let cut = 0;
    for (const g of guardList) cut += g.guard.disconnect(ip);
    log.warn({ ip, seconds, reason, by, cut }, 'source blocked at the Modbus guards');
    await options.audit.append({ tenantId: more.tenantId ?? null, action: 'security.block', actor: by === 'active-response' ? null : by, target: ip, details: { seconds, reason, until: b.until, ...(eventId ? { eventId } : {}), connectionsCut: cut } });
    return b;
  };

  const observe = (obs: Observation): void => {
    counters.observations++;
    try {
      engine.observe(obs);
    } catch (err) {
      counters.rejected++;
      log.warn({ err, kind: (obs as { kind?: unknown }).kind }, 'observation rejected');
      return;
    }
    for (const o of observers) safely(() => o(obs));
  };

  const baselineTimer = setInterval(() => {
    flushBaseline(baseline, baselineStore).catch((err: unknown) => log.error({ err }, 'baseline not saved'));
  }, 10_000);
  baselineTimer.unref();

  return {
    observe,
    flush: async () => {
      await drain();
      await writing;
    },
    engine,
    events,
    baseline,
    baselineStore,
    ruleProblems: () => problems,
    async guardModbus(o) {
      const ranges = rangesOf(o.points ?? []);
      const guard = await startModbusGuard({
        listen: o.listen ?? { host: o.upstream.host, port: 0 },
        upstream: o.upstream,
        deviceId: o.deviceId,
        blocked: isBlocked,
        now,
        logger: log,
        onTransaction: (tx, flow) => observe({ kind: 'modbus', via: 'guard', tenantId: o.tenantId, source: flow.source, target: flow.target, deviceId: o.deviceId, ...transactionFields(tx), ...rangeFor(ranges, tx) }),
        onAnomaly: (a, flow) => observe({ kind: 'modbus-anomaly', via: 'guard', tenantId: o.tenantId, source: flow.source, target: flow.target, deviceId: o.deviceId, ts: a.ts, code: a.code, direction: a.direction, detail: a.detail.slice(0, 500), ...(a.tid === undefined ? {} : { tid: a.tid }), ...(a.unit === undefined ? {} : { unit: a.unit }), ...(a.functionCode === undefined ? {} : { functionCode: a.functionCode }) }),
        onConnection: (c) => observe({ kind: 'connection', ts: c.ts, tenantId: o.tenantId, source: c.source, target: c.target, deviceId: o.deviceId, protocol: 'modbus', accepted: c.accepted }),
      });
      guardList.push({ guard, tenantId: o.tenantId });
      return guard;
    },
    guards: () => guardList.map(({ guard, tenantId }) => ({ deviceId: guard.deviceId ?? '', tenantId, listen: guard.address, upstream: guard.upstream, stats: guard.stats() })),
    setCommanders: (c) => {
      engine.setCommanders(c);
      commanderList = [...c];
    },
    commanders: () => commanderList,
    activeResponse: () => ({ ...response }),
    setActiveResponse(change) {
      Object.assign(response, change);
      log.info({ activeResponse: response }, 'active response changed');
      return { ...response };
    },
    block,
    async unblock(ip, by) {
      const had = blockList.delete(ip);
      await store.db.deleteFrom('security_blocks').where('ip', '=', ip).execute();
      if (had) await options.audit.append({ action: 'security.unblock', actor: by, target: ip });
      return had;
    },
    blocks: () => [...blockList.values()].filter((b) => isBlocked(b.ip)),
    isBlocked,
    async analyzeCapture(source, o) {
      try {
        const summary = await analyzeCapture(source, {
          transaction: (tx) => observe({ kind: 'modbus', via: 'capture', tenantId: o.tenantId, source: tx.source, target: tx.target, ...transactionFields(tx) }),
          anomaly: (a) => observe({ kind: 'modbus-anomaly', via: 'capture', tenantId: o.tenantId, source: a.source, target: a.target, ts: a.ts, code: a.code, direction: a.direction, detail: a.detail.slice(0, 500), ...(a.tid === undefined ? {} : { tid: a.tid }), ...(a.unit === undefined ? {} : { unit: a.unit }), ...(a.functionCode === undefined ? {} : { functionCode: a.functionCode }) }),
          flow: (f) => {
            if (f.protocol !== 'tcp') return;
            const protocol = f.server.port === 502 ? 'modbus' : f.server.port === 4840 ? 'opcua' : f.server.port === 1883 || f.server.port === 8883 ? 'mqtt' : 'other';
            observe({ kind: 'connection', ts: f.firstTs, tenantId: o.tenantId, source: f.client, target: f.server, protocol, accepted: !f.synOnly });
          },
        });
        counters.captures.analysed++;
        return summary;
      } catch (e) {
        counters.captures.rejected++;
        throw e;
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onObservation(listener) {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    stats: () => ({ ...counters, captures: { ...counters.captures } }),
    async close() {
      clearInterval(baselineTimer);
      for (const g of guardList.splice(0)) await g.guard.close();
      await drain();
      await writing;
      await flushBaseline(baseline, baselineStore).catch((err: unknown) => log.error({ err }, 'baseline not saved'));
    },
  };
}

/** The observation fields of a decoded transaction (undefined fields left out, values capped). */
function transactionFields(tx: ModbusTransaction) {
  return {
    ts: tx.ts,
    tid: tx.tid,
    unit: tx.unit,
    functionCode: tx.functionCode,
    func: tx.func.slice(0, 64),
    matched: tx.matched,
    write: tx.write,
    ...(tx.address === undefined ? {} : { address: tx.address }),
    ...(tx.quantity === undefined ? {} : { quantity: tx.quantity }),
    ...(tx.requestValues === undefined ? {} : { requestValues: tx.requestValues.slice(0, 2048) }),
    ...(tx.responseValues === undefined ? {} : { responseValues: tx.responseValues.slice(0, 2048) }),
    ...(tx.requestSubfunction === undefined ? {} : { requestSubfunction: tx.requestSubfunction.slice(0, 64) }),
    ...(tx.exception === undefined ? {} : { exception: tx.exception.slice(0, 64) }),
    ...(tx.meiType === undefined ? {} : { meiType: tx.meiType.slice(0, 64) }),
  };
}

interface RawRange {
  table: 'coil' | 'holding';
  address: number;
  span: number;
  min: number;
  max: number;
  point: string;
}

/**
 * The writable points' engineering ranges in raw register units, for single-register integer points
 * (where one written register is one value); a float or 32-bit point's registers are halves of a value,
 * so a range over them would mean nothing and is left out.
 */
function rangesOf(points: readonly Point[]): RawRange[] {
  const out: RawRange[] = [];
  for (const p of points) {
    if (!p.modbus || p.modbus.table !== 'holding' || p.min === undefined || p.max === undefined) continue;
    if (p.dataType !== 'uint16' && p.dataType !== 'int16') continue;
    const a = unscale(p.min, p);
    const b = unscale(p.max, p);
    out.push({ table: 'holding', address: p.modbus.address, span: spanOf(p as Parameters<typeof spanOf>[0]), min: Math.min(a, b), max: Math.max(a, b), point: p.key });
  }
  return out;
}

/** The range of the point a register write lands on (FC 6 and 16 to holding registers). */
function rangeFor(ranges: readonly RawRange[], tx: ModbusTransaction): { pointRange?: { min: number; max: number; point: string } } {
  if (!tx.write || tx.address === undefined || (tx.functionCode !== 6 && tx.functionCode !== 16)) return {};
  const r = ranges.find((x) => tx.address! >= x.address && tx.address! < x.address + x.span);
  return r ? { pointRange: { min: r.min, max: r.max, point: r.point } } : {};
}

/** Thrown for a capture the monitor refuses before reading (too large). */
export const captureTooLarge = (bytes: number, max: number): YulianError => new YulianError('CAPTURE_TOO_LARGE', `The capture is ${bytes} bytes; at most ${max} bytes are accepted (YULIAN_CAPTURE_MAX_BYTES).`, { details: { bytes, max } });

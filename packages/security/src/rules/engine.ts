/**
 * The detection engine: annotates each observation (baseline, allowed commanders, engineering range),
 * runs the rules in parent-before-child order, keeps the correlation windows per rule and group, and
 * raises security events. Deterministic given the observations' own timestamps (simulated time works).
 */
import { randomUUID } from 'node:crypto';
import { type Observation, type SecurityEvent, observationSchema } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { evaluate, inCidr, parseCidr } from './conditions.js';
import { type Annotations, type BaselineVerdict, type CommanderVerdict, type RangeVerdict, readPath } from './fields.js';
import type { DetectionRule } from './rule.js';

/** A source allowed to command devices (the platform's gateway, an engineering workstation). */
export interface Commander {
  /** The enterprise it applies to; undefined: every enterprise. */
  tenantId?: string | null;
  /** An IPv4 address or CIDR network (`10.1.2.0/24`), or an exact address text (IPv6). */
  ip?: string;
  /** A Sparkplug/MQTT client id. */
  clientId?: string;
  /** An OPC UA user. */
  user?: string;
  /** Only for this device; undefined: every device. */
  deviceId?: string;
}

/** What the engine asks of a baseline (see `createBaseline`). */
export interface BaselineAssessor {
  /** Learns (in learning mode) and says whether the observation is known (in enforcing mode). */
  assess(obs: Observation): BaselineVerdict;
  /** The tenant's mode. */
  mode(tenantId: string | null): 'off' | 'learning' | 'enforcing';
}

/** What `createDetectionEngine` needs. */
export interface DetectionEngineOptions {
  rules: readonly DetectionRule[];
  baseline?: BaselineAssessor;
  /** Allowed commanders; when a tenant has any (or enforces its baseline), other writers are `denied`. */
  commanders?: readonly Commander[];
  /** Called with each event raised, synchronously. */
  onEvent: (event: SecurityEvent) => void;
  /** Correlation groups tracked per rule before the least recently used is evicted (default 10,000). */
  maxGroupsPerRule?: number;
  /** Event ids (default random UUIDs). */
  newId?: () => string;
  logger?: Logger;
}

/** Running figures of the engine. */
export interface DetectionEngineStats {
  observations: number;
  /** Inputs to `submit` that were not observations. */
  invalid: number;
  events: number;
  /** Rule firings not raised because of `ignore`. */
  suppressed: number;
  /** Correlation groups evicted to stay within `maxGroupsPerRule`. */
  evictions: number;
  /** Firings per rule id (silent parents included). */
  fired: Record<number, number>;
}

/** The detection engine. */
export interface DetectionEngine {
  /** Runs the rules on one observation; returns the events raised (also passed to onEvent). */
  observe(obs: Observation): SecurityEvent[];
  /** Checks untrusted input first: an invalid one is counted, logged and answered false (never thrown). */
  submit(input: unknown): boolean;
  /** Replaces the allowed commanders. */
  setCommanders(commanders: readonly Commander[]): void;
  /** The rules in evaluation order. */
  rules(): readonly DetectionRule[];
  stats(): DetectionEngineStats;
}

/** A correlation window: hit times, or for `different` rules the last time of each distinct value. */
interface Window {
  hits: number[];
  distinct: Map<string, number>;
  total: number;
}

/** Parents before children; throws on an unknown parent or a cycle (checkRules reports these for files). */
function evaluationOrder(rules: readonly DetectionRule[]): DetectionRule[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  if (byId.size !== rules.length) throw new YulianError('SECURITY_RULES_INVALID', 'Two rules share an id; give each rule its own id.');
  const out: DetectionRule[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (r: DetectionRule): void => {
    if (state.get(r.id) === 'done') return;
    if (state.get(r.id) === 'visiting') throw new YulianError('SECURITY_RULES_INVALID', `Rule ${r.id} is its own ancestor through if_sid/if_matched.`);
    state.set(r.id, 'visiting');
    for (const p of r.parents) {
      const parent = byId.get(p);
      if (!parent) throw new YulianError('SECURITY_RULES_INVALID', `Rule ${r.id} names parent ${p}, which is not loaded.`);
      visit(parent);
    }
    state.set(r.id, 'done');
    out.push(r);
  };
  for (const r of rules) visit(r);
  return out;
}

const writeKinds = new Set(['modbus', 'opcua', 'sparkplug']);

/** Is the written value outside the point's engineering range? */
function rangeOf(obs: Observation): RangeVerdict {
  if (obs.kind === 'modbus') {
    if (!obs.write || !obs.pointRange || !obs.requestValues?.length) return 'unknown';
    const { min, max } = obs.pointRange;
    return obs.requestValues.some((v) => v < min || v > max) ? 'outside' : 'inside';
  }
  if (obs.kind === 'opcua') {
    if (obs.service !== 'write' || !obs.pointRange || obs.value === undefined) return 'unknown';
    return obs.value < obs.pointRange.min || obs.value > obs.pointRange.max ? 'outside' : 'inside';
  }
  return 'unknown';
}

const sourceIpOf = (obs: Observation): string | undefined => (obs.kind === 'platform' ? obs.ip : obs.source.ip);

/** Does a commander entry name this observation's source (and tenant, device)? */
function commands(c: Commander, obs: Observation, cidr: { net: number; mask: number } | null): boolean {
  if (c.tenantId !== undefined && c.tenantId !== obs.tenantId) return false;
  if (c.deviceId !== undefined && ('deviceId' in obs ? obs.deviceId : undefined) !== c.deviceId) return false;
  const ip = sourceIpOf(obs);
  if (c.ip !== undefined && ip !== undefined && (cidr ? inCidr(ip, cidr) : ip === c.ip)) return true;
  if (c.clientId !== undefined && obs.kind === 'sparkplug' && obs.source.clientId === c.clientId) return true;
  if (c.user !== undefined && obs.kind === 'opcua' && obs.user === c.user) return true;
  return false;
}

const keyPart = (v: unknown): string => (v === undefined || v === null ? '-' : Array.isArray(v) ? v.join(',') : String(v));

/** The observation's fields for an event's details: long value lists cut to 16. */
function summarise(obs: Observation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obs)) {
    if (k === 'tenantId') continue;
    out[k] = Array.isArray(v) && v.length > 16 ? [...v.slice(0, 16), `… ${v.length - 16} more`] : v;
  }
  return out;
}

function eventParties(obs: Observation): Pick<SecurityEvent, 'source' | 'target'> {
  switch (obs.kind) {
    case 'modbus':
    case 'modbus-anomaly':
    case 'connection':
      return { source: { ip: obs.source.ip, port: obs.source.port }, target: { ip: obs.target.ip, port: obs.target.port, deviceId: obs.deviceId ?? null } };
    case 'opcua':
      return { source: { ip: obs.source.ip, port: obs.source.port ?? null }, target: { ip: null, port: null, deviceId: obs.deviceId ?? null } };
    case 'sparkplug':
      return { source: { ip: obs.source.ip ?? null, port: null }, target: { ip: null, port: null, deviceId: obs.deviceId ?? null } };
    case 'platform':
      return { source: { ip: obs.ip ?? null, port: null }, target: { ip: null, port: null, deviceId: null } };
    case 'identifier':
      return { source: { ip: obs.source.ip, port: obs.source.port ?? null }, target: { ip: null, port: null, deviceId: null } };
  }
}

/**
 * Builds a detection engine over compiled rules (`parseRules`, `builtinRules`).
 * @example const engine = createDetectionEngine({ rules: builtinRules(), commanders: [{ ip: '10.0.0.5' }], onEvent: (e) => events.push(e) }); engine.observe(obs)
 */
export function createDetectionEngine(options: DetectionEngineOptions): DetectionEngine {
  const ordered = evaluationOrder(options.rules);
  const maxGroups = options.maxGroupsPerRule ?? 10_000;
  const newId = options.newId ?? randomUUID;
  let commanders = [...(options.commanders ?? [])];
  let cidrs = commanders.map((c) => (c.ip ? parseCidr(c.ip) : null));
  const windows = new Map<number, Map<string, Window>>(ordered.filter((r) => r.frequency !== null).map((r) => [r.id, new Map()]));
  const lastRaised = new Map<number, Map<string, number>>(ordered.filter((r) => r.ignoreMs > 0).map((r) => [r.id, new Map()]));
  const stats: DetectionEngineStats = { observations: 0, invalid: 0, events: 0, suppressed: 0, evictions: 0, fired: {} };

  /** Touches a group in an LRU map (Map order = recency), evicting the least recent beyond the cap. */
  const touch = <T>(map: Map<string, T>, key: string, create: () => T): T => {
    let v = map.get(key);
    if (v === undefined) {
      v = create();
      if (map.size >= maxGroups) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
        stats.evictions++;
      }
    } else map.delete(key);
    map.set(key, v);
    return v;
  };

  const commanderOf = (obs: Observation, baseline: BaselineVerdict): CommanderVerdict => {
    if (commanders.some((c, i) => commands(c, obs, cidrs[i] ?? null))) return 'allowed';
    const enforcing = options.baseline?.mode(obs.tenantId) === 'enforcing' && writeKinds.has(obs.kind);
    // A learned function from a learned source commands as before; a new address range is T0836's matter, not T0855's.
    if (enforcing && (baseline === 'known' || baseline === 'unknown-range')) return 'allowed';
    const configured = commanders.some((c) => c.tenantId === undefined || c.tenantId === obs.tenantId);
    return configured || enforcing ? 'denied' : 'unknown';
  };

  /** Counts a hit in the rule's window; the window's figures when it reaches the frequency, else null. */
  const countHit = (rule: DetectionRule, key: string, subject: Record<string, unknown>, ts: number): Window | null => {
    const w = touch(windows.get(rule.id)!, key, () => ({ hits: [], distinct: new Map(), total: 0 }));
    const cutoff = ts - rule.timeframeMs!;
    w.total++;
    if (rule.different.length > 0) {
      for (const [v, at] of w.distinct) if (at < cutoff) w.distinct.delete(v);
      const d = rule.different.map((p) => keyPart(readPath(subject, p))).join('|');
      w.distinct.delete(d);
      w.distinct.set(d, ts);
      if (w.distinct.size < rule.frequency!) return null;
    } else {
      w.hits.push(ts);
      while (w.hits.length > 0 && w.hits[0]! < cutoff) w.hits.shift();
      if (w.hits.length < rule.frequency!) return null;
    }
    // Reached: report and start a fresh window (Wazuh's behaviour), so the next event needs as many hits again.
    const reached = { ...w, hits: [...w.hits], distinct: new Map(w.distinct) };
    windows.get(rule.id)!.delete(key);
    return reached;
  };

  const observe = (obs: Observation): SecurityEvent[] => {
    stats.observations++;
    const baseline = options.baseline?.assess(obs) ?? 'none';
    const annotations: Annotations = { baseline, commander: commanderOf(obs, baseline), range: rangeOf(obs) };
    const subject: Record<string, unknown> = { ...obs, ...annotations };
    const fired = new Set<number>();
    const raised: SecurityEvent[] = [];
    for (const rule of ordered) {
      if (rule.kinds && !rule.kinds.includes(obs.kind)) continue;
      if (rule.parents.length > 0 && !rule.parents.some((p) => fired.has(p))) continue;
      if (!rule.match.every((t) => evaluate(t.test, readPath(subject, t.path)))) continue;
      const key = rule.same.map((p) => keyPart(readPath(subject, p))).join('|');
      // Windows and suppression never mix enterprises, even behind the same addresses.
      const scopedKey = `${obs.tenantId ?? '*'}\u0000${key}`;
      let window: Window | null = null;
      if (rule.frequency !== null) {
        window = countHit(rule, scopedKey, subject, obs.ts);
        if (!window) continue;
      }
      fired.add(rule.id);
      stats.fired[rule.id] = (stats.fired[rule.id] ?? 0) + 1;
      if (rule.level === 0) continue;
      const raisedAt = lastRaised.get(rule.id);
      if (raisedAt) {
        const last = raisedAt.get(scopedKey);
        if (last !== undefined && obs.ts - last < rule.ignoreMs) {
          stats.suppressed++;
          continue;
        }
        touch(raisedAt, scopedKey, () => obs.ts);
        raisedAt.set(scopedKey, obs.ts);
      }
      const event = buildEvent(rule, obs, annotations, key, window);
      raised.push(event);
      stats.events++;
      options.onEvent(event);
    }
    return raised;
  };

  const buildEvent = (rule: DetectionRule, obs: Observation, annotations: Annotations, key: string, window: Window | null): SecurityEvent => {
    const details: Record<string, unknown> = { observation: summarise(obs), annotations };
    if (window) {
      const distinct = [...window.distinct.keys()];
      details['window'] = {
        seconds: rule.timeframeMs! / 1000,
        hits: window.total,
        firstTs: window.hits[0] ?? Math.min(...window.distinct.values()),
        lastTs: obs.ts,
        ...(distinct.length > 0 ? { distinct: distinct.slice(0, 20), distinctCount: distinct.length } : {}),
      };
    }
    return {
      id: newId(),
      tenantId: obs.tenantId,
      ts: obs.ts,
      ruleId: rule.id,
      level: rule.level,
      title: rule.title,
      titleEn: rule.titleEn,
      techniques: [...rule.techniques],
      tactic: rule.tactic,
      ...eventParties(obs),
      details,
      count: window ? Math.max(window.hits.length, window.distinct.size) : 1,
      groupKey: `${rule.id}:${key}`,
      status: 'new',
      response: rule.blockSeconds ? { action: 'block-source', seconds: rule.blockSeconds } : null,
    };
  };

  return {
    observe,
    submit(input) {
      const parsed = observationSchema.safeParse(input);
      if (!parsed.success) {
        stats.invalid++;
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        options.logger?.warn({ code: 'SECURITY_OBSERVATION_INVALID', issues }, 'security observation rejected');
        return false;
      }
      observe(parsed.data);
      return true;
    },
    setCommanders(next) {
      commanders = [...next];
      cidrs = commanders.map((c) => (c.ip ? parseCidr(c.ip) : null));
    },
    rules: () => ordered,
    stats: () => ({ ...stats, fired: { ...stats.fired } }),
  };
}

/**
 * Checks an untrusted observation (an HTTP body, a bus message).
 * @throws YulianError SECURITY_OBSERVATION_INVALID with details.issues
 */
export function parseObservation(input: unknown): Observation {
  const parsed = observationSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new YulianError('SECURITY_OBSERVATION_INVALID', `The observation is not valid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}.`, { details: { issues } });
}

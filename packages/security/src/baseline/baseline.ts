/**
 * The learned communication baseline: in learning mode it records who talks to which device with which
 * functions over which addresses; in enforcing mode it says what is new (a source, a function for that
 * pair, an address outside the learned range) so that rules can match `baseline: unknown-…`.
 * In memory and synchronous (the engine calls it per observation); `baseline-store.ts` persists it.
 */
import type { BaselineEntry, BaselineMode, BaselineState, Observation } from '@yulian/contracts';
import type { BaselineVerdict } from '../rules/fields.js';

/** What `createBaseline` needs. */
export interface BaselineOptions {
  /** Addresses beyond the learned range still counted as known (default 16). */
  rangeTolerance?: number;
  /** Entries kept in all; beyond, learning stops adding new ones and counts them (default 100,000). */
  maxEntries?: number;
}

/** The baseline. */
export interface Baseline {
  /** A tenant's mode (`off` until set). */
  mode(tenantId: string | null): BaselineMode;
  /** A tenant's mode with when learning started. */
  state(tenantId: string | null): BaselineState;
  /** Sets a tenant's mode; entering learning stamps `learningSince` with `at`. */
  setMode(tenantId: string | null, mode: BaselineMode, at: number): BaselineState;
  /** Learns (learning mode) or judges (enforcing mode) one observation. */
  assess(obs: Observation): BaselineVerdict;
  /** The learned entries, of one tenant or all. */
  entries(tenantId?: string | null): BaselineEntry[];
  /** Entries changed since the last call (to persist). */
  takeDirty(): BaselineEntry[];
  /** Marks entries as changed again (their save failed), so the next `takeDirty` returns them. */
  markDirty(entries: readonly BaselineEntry[]): void;
  /** Forgets a tenant's entries. */
  clear(tenantId: string | null): void;
  /** Loads persisted entries and modes (replacing what is in memory). */
  load(entries: readonly BaselineEntry[], states: readonly BaselineState[]): void;
  stats(): { entries: number; dropped: number };
}

/** The identity of a learned communication, without its figures. */
type Key = Pick<BaselineEntry, 'tenantId' | 'protocol' | 'source' | 'target' | 'unit' | 'function'>;

/** The key of an entry's row (also the store's primary key). */
export const baselineEntryId = (k: Key): string => [k.tenantId ?? '*', k.protocol, k.source, k.target, k.unit, k.function].join('|');
const pairId = (k: Pick<Key, 'tenantId' | 'protocol' | 'source' | 'target'>): string => [k.tenantId ?? '*', k.protocol, k.source, k.target].join('|');
const tenantKey = (tenantId: string | null): string => tenantId ?? '*';

/** What an observation says about a communication: its key and address span, or null for kinds not learned. */
function communicationOf(obs: Observation): { key: Key; span: [number, number] | null; learnable: boolean } | null {
  switch (obs.kind) {
    case 'modbus': {
      const key: Key = {
        tenantId: obs.tenantId,
        protocol: 'modbus',
        source: obs.source.ip,
        target: obs.deviceId ?? `${obs.target.ip}:${obs.target.port}`,
        unit: obs.unit,
        function: String(obs.functionCode),
      };
      const span: [number, number] | null = obs.address === undefined ? null : [obs.address, obs.address + Math.max(1, obs.quantity ?? 1) - 1];
      // A request the device refused (an exception) is not what normal looks like.
      return { key, span, learnable: obs.exception === undefined };
    }
    case 'opcua':
      return { key: { tenantId: obs.tenantId, protocol: 'opcua', source: obs.source.ip, target: obs.deviceId ?? obs.endpoint, unit: 0, function: obs.service }, span: null, learnable: true };
    case 'sparkplug':
      return { key: { tenantId: obs.tenantId, protocol: 'sparkplug', source: obs.source.clientId, target: obs.deviceId ?? obs.topic, unit: 0, function: obs.messageType }, span: null, learnable: true };
    default:
      return null;
  }
}

/**
 * Creates an empty baseline (every tenant `off`).
 * @example const baseline = createBaseline(); baseline.setMode('tenant-a', 'learning', Date.now())
 */
export function createBaseline(options: BaselineOptions = {}): Baseline {
  const tolerance = options.rangeTolerance ?? 16;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, BaselineEntry>();
  /** Pairs (source → target) with how many functions each: "is this source new to this target?" */
  const pairs = new Map<string, number>();
  const states = new Map<string, BaselineState>();
  const dirty = new Set<string>();
  let dropped = 0;

  const put = (e: BaselineEntry): void => {
    const id = baselineEntryId(e);
    if (!entries.has(id)) pairs.set(pairId(e), (pairs.get(pairId(e)) ?? 0) + 1);
    entries.set(id, e);
  };

  const learn = (key: Key, span: [number, number] | null, ts: number): void => {
    const id = baselineEntryId(key);
    const e = entries.get(id);
    if (!e) {
      if (entries.size >= maxEntries) {
        dropped++;
        return;
      }
      put({ ...key, addressMin: span?.[0] ?? null, addressMax: span?.[1] ?? null, firstSeen: ts, lastSeen: ts, count: 1 });
    } else {
      e.count++;
      e.lastSeen = Math.max(e.lastSeen, ts);
      e.firstSeen = Math.min(e.firstSeen, ts);
      if (span) {
        e.addressMin = e.addressMin === null ? span[0] : Math.min(e.addressMin, span[0]);
        e.addressMax = e.addressMax === null ? span[1] : Math.max(e.addressMax, span[1]);
      }
    }
    dirty.add(id);
  };

  const judge = (key: Key, span: [number, number] | null): BaselineVerdict => {
    if (!pairs.has(pairId(key))) return 'unknown-source';
    const e = entries.get(baselineEntryId(key));
    if (!e) return 'unknown-function';
    if (span && (e.addressMin === null || e.addressMax === null || span[0] < e.addressMin - tolerance || span[1] > e.addressMax + tolerance)) return 'unknown-range';
    return 'known';
  };

  const state = (tenantId: string | null): BaselineState => states.get(tenantKey(tenantId)) ?? { tenantId, mode: 'off', learningSince: null, updatedAt: 0 };

  return {
    mode: (tenantId) => state(tenantId).mode,
    state,
    setMode(tenantId, mode, at) {
      const before = state(tenantId);
      const next: BaselineState = { tenantId, mode, learningSince: mode === 'learning' && before.mode !== 'learning' ? at : before.learningSince, updatedAt: at };
      states.set(tenantKey(tenantId), next);
      return next;
    },
    assess(obs) {
      const c = communicationOf(obs);
      if (!c) return 'none';
      const mode = state(obs.tenantId).mode;
      if (mode === 'off') return 'off';
      if (mode === 'learning') {
        if (c.learnable) learn(c.key, c.span, obs.ts);
        return 'learning';
      }
      return judge(c.key, c.span);
    },
    entries: (tenantId) => [...entries.values()].filter((e) => tenantId === undefined || e.tenantId === tenantId).map((e) => ({ ...e })),
    takeDirty() {
      const out = [...dirty].flatMap((id) => {
        const e = entries.get(id);
        return e ? [{ ...e }] : [];
      });
      dirty.clear();
      return out;
    },
    markDirty(list) {
      for (const e of list) if (entries.has(baselineEntryId(e))) dirty.add(baselineEntryId(e));
    },
    clear(tenantId) {
      for (const [id, e] of entries) {
        if (e.tenantId !== tenantId) continue;
        entries.delete(id);
        dirty.delete(id);
        pairs.delete(pairId(e));
      }
    },
    load(loaded, loadedStates) {
      entries.clear();
      pairs.clear();
      dirty.clear();
      for (const e of loaded) put({ ...e });
      states.clear();
      for (const s of loadedStates) states.set(tenantKey(s.tenantId), { ...s });
    },
    stats: () => ({ entries: entries.size, dropped }),
  };
}

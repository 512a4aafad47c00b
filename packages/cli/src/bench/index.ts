import type { BenchResult } from './types.js';

export { formatBench, type BenchResult, type BenchSide } from './types.js';

/** A benchmark: one or more measured/baseline pairs. */
export type Benchmark = (options: { rows?: number; size?: string }) => Promise<BenchResult | BenchResult[]>;

/** Every benchmark by name, loaded when it runs (some pull in heavy protocol stacks). */
export const benchmarks: Record<string, () => Promise<Benchmark>> = {
  store: async () => (await import('./store.js')).benchStore,
  /** MQTT → stored and queryable, on SQLite and PostgreSQL, against a bare subscriber doing batched inserts. */
  ingest: async () => (await import('./ingest.js')).benchIngest,
  /** 30 days of 1 s data → a 1,000-point chart, p95, against a scan of the raw table. */
  query: async () => (await import('./query.js')).benchQuery,
  /** The dashboard's floor map in Chromium with 200 devices changing state, against the same page with 10. */
  floormap: async () => (await import('./floormap.js')).benchFloorMap,
  /** Handle resolutions over UDP with 1,000,000 identifiers stored, against a bare dgram server with a fixed reply. */
  resolve: async () => (await import('./resolve.js')).benchResolve,
  /** Bulk registration of 1,000,000 identifiers through insertMany on SQLite and PostgreSQL, and bytes per identifier. */
  register: async () => (await import('./register.js')).benchRegister,
  /** NAB score of the anomaly detectors on faults injected into the virtual factory, against NAB's windowed Gaussian. */
  anomaly: async () => (await import('./anomaly.js')).benchAnomaly,
  /** C-MAPSS FD001 test RMSE and PHM08 of the RUL model (seed 1), against ridge regression on the same features. */
  rul: async () => (await import('./rul.js')).benchRul,
  /** 1,000 alarm rules over 100,000 values/s: throughput against an inline threshold loop, latency to the alarm event. */
  rules: async () => (await import('./rules.js')).benchRulesEngine,
  /** Passive analysis of a Modbus polling capture (64 MiB, or --size 1g) against tshark on the same file; peak RSS. */
  pcap: async () => (await import('./pcap.js')).benchPcap,
  /** The OT security detection engine (built-in ATT&CK for ICS rules, baseline enforcing) over guarded Modbus traffic, against an inline allowed-writer check. */
  'security-rules': async () => (await import('./security-rules.js')).benchSecurityRules,
  'gateway-modbus': async () => (await import('./gateway.js')).benchGateway,
  'gateway-sparkplug': async () => (await import('./gateway-sparkplug.js')).benchSparkplug,
  'gateway-opcua': async () => (await import('./gateway-opcua.js')).benchOpcuaStartup,
  /** The three: (a) Modbus polling, (b) Sparkplug through Mosquitto, (c) start-up of 10,000 OPC UA monitored items. */
  gateway: async () => {
    const [{ benchGateway }, { benchSparkplug }, { benchOpcuaStartup }] = await Promise.all([import('./gateway.js'), import('./gateway-sparkplug.js'), import('./gateway-opcua.js')]);
    return async (options) => [await benchGateway(options), await benchSparkplug({}), await benchOpcuaStartup()];
  },
};

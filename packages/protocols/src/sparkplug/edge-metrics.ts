import { YulianError } from '@yulian/core';
import { type SparkplugDataType, coerceSparkplugValue } from './datatypes.js';
import type { SparkplugMetric, SparkplugProperty } from './payload.js';

/** A metric an edge node reports: its name, type and first value. */
export interface SparkplugMetricDefinition {
  /** e.g. `Inputs/Temperature`; `/` makes folders for hosts that show them. */
  name: string;
  /** A basic type: Int8…UInt64, Float, Double, Boolean, String, DateTime, Text, UUID. */
  type: SparkplugDataType;
  value: number | boolean | string | null;
  /** Accepts writes (NCMD/DCMD); announced in the birth as the property `writable`. */
  writable?: boolean;
  /** Engineering unit, announced as the property `engUnit`. */
  unit?: string;
}

/** The metric name hosts write `true` to when they want a new birth. */
export const rebirthMetricName = 'Node Control/Rebirth';

/** One metric's current state on the edge node. */
export interface EdgeMetric {
  name: string;
  type: SparkplugDataType;
  alias: number;
  value: number | boolean | string | null;
  properties: Record<string, SparkplugProperty> | undefined;
}

/** The metrics of the node itself (device undefined) or of one device, by name and by alias. */
export class EdgeMetricScope {
  readonly byName = new Map<string, EdgeMetric>();
  readonly byAlias = new Map<number, EdgeMetric>();
  online = true;

  constructor(readonly device: string | undefined) {}

  add(def: SparkplugMetricDefinition, alias: number): void {
    if (this.byName.has(def.name)) throw new YulianError('CONFIG_INVALID', `Metric ${def.name} is defined twice${this.device ? ` on device ${this.device}` : ''}.`);
    const properties: Record<string, SparkplugProperty> = {};
    if (def.writable) properties['writable'] = { type: 'Boolean', value: true };
    if (def.unit) properties['engUnit'] = { type: 'String', value: def.unit };
    const value = def.value === null ? null : coerceSparkplugValue(def.type, def.value);
    const m: EdgeMetric = { name: def.name, type: def.type, alias, value, properties: Object.keys(properties).length ? properties : undefined };
    this.byName.set(def.name, m);
    this.byAlias.set(alias, m);
  }

  /** The metric a command names, by alias first (as DATA/CMD messages should), else by name. */
  resolve(m: SparkplugMetric): EdgeMetric | undefined {
    return (m.alias !== undefined ? this.byAlias.get(m.alias) : undefined) ?? (m.name !== undefined ? this.byName.get(m.name) : undefined);
  }

  /** Every metric with name, alias, type and value, for a birth. */
  birth(timestamp: number, aliases: boolean): SparkplugMetric[] {
    return [...this.byName.values()].map((m) => ({
      name: m.name,
      ...(aliases ? { alias: m.alias } : {}),
      timestamp,
      type: m.type,
      value: m.value,
      ...(m.properties ? { properties: m.properties } : {}),
    }));
  }

  /**
   * Takes new values and returns the metrics that changed, for a DATA message (report by exception).
   * @throws YulianError NOT_FOUND for a name the scope has no metric of, VALUE_OUT_OF_RANGE for a value that does not fit.
   */
  changes(values: Record<string, number | boolean | string | null>, timestamp: number, aliases: boolean): SparkplugMetric[] {
    const out: SparkplugMetric[] = [];
    for (const name in values) {
      const m = this.byName.get(name);
      if (!m) throw new YulianError('NOT_FOUND', `${this.device ? `Device ${this.device}` : 'The edge node'} has no metric ${name}.`);
      const raw = values[name] as number | boolean | string | null;
      const value = raw === null ? null : coerceSparkplugValue(m.type, raw);
      if (Object.is(m.value, value)) continue;
      m.value = value;
      out.push(aliases ? { alias: m.alias, timestamp, type: m.type, value } : { name: m.name, timestamp, type: m.type, value });
    }
    return out;
  }
}

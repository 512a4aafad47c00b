/**
 * The rules that decide a point's or dataset's category and level: a recorded override wins, then what
 * the device configuration (or its profile) says, then the defaults of the catalogue. Pure functions.
 */
import { type DataCategoryCode, type DataLevel, type DatasetKind, categoryOf, datasetDefaultCategory, defaultPointCategory } from '@yulian/contracts';

/** A device point as its configuration defines it (only what classification needs). */
export interface PointDefinition {
  key: string;
  name?: string;
  access?: 'read' | 'read-write';
  dataClass?: { category?: DataCategoryCode | undefined; level?: DataLevel | undefined } | undefined;
}

/** A recorded classification (an override). */
export interface ClassificationRecord {
  category: DataCategoryCode;
  level: DataLevel;
  reason: string | null;
  setBy: string | null;
  setAt: number;
}

/** A category and level and where they come from. */
export interface EffectiveClass {
  category: DataCategoryCode;
  level: DataLevel;
  defaultCategory: DataCategoryCode;
  defaultLevel: DataLevel;
  source: 'default' | 'config' | 'override';
  reason: string | null;
  setBy: string | null;
  setAt: number | null;
}

/**
 * The default class of a point: its configured `dataClass` (category, and level when given), otherwise
 * the category by kind (`defaultPointCategory`) and that category's default level.
 */
export function pointDefault(def: PointDefinition): { category: DataCategoryCode; level: DataLevel; source: 'default' | 'config' } {
  const category = def.dataClass?.category ?? defaultPointCategory(def);
  const level = def.dataClass?.level ?? categoryOf(category).defaultLevel;
  return { category, level, source: def.dataClass?.category !== undefined || def.dataClass?.level !== undefined ? 'config' : 'default' };
}

/** A point's effective class. */
export function effectivePoint(def: PointDefinition, record: ClassificationRecord | undefined): EffectiveClass {
  const d = pointDefault(def);
  if (!record) return { category: d.category, level: d.level, defaultCategory: d.category, defaultLevel: d.level, source: d.source, reason: null, setBy: null, setAt: null };
  return { category: record.category, level: record.level, defaultCategory: d.category, defaultLevel: d.level, source: 'override', reason: record.reason, setBy: record.setBy, setAt: record.setAt };
}

/** The kind of a dataset name (`telemetry:<device>` → telemetry). */
export const datasetKindOf = (name: string): DatasetKind => (name.startsWith('telemetry:') ? 'telemetry' : (name as DatasetKind));

/**
 * A dataset's effective class. Its default level is its category's, raised to the highest level of the
 * points it holds (`pointsMax`, for a device's telemetry): a dataset is as sensitive as its data.
 */
export function effectiveDataset(name: string, record: ClassificationRecord | undefined, pointsMax: DataLevel = 1): EffectiveClass {
  const category = datasetDefaultCategory[datasetKindOf(name)];
  const level = Math.max(categoryOf(category).defaultLevel, pointsMax) as DataLevel;
  if (!record) return { category, level, defaultCategory: category, defaultLevel: level, source: 'default', reason: null, setBy: null, setAt: null };
  return { category: record.category, level: Math.max(record.level, pointsMax) as DataLevel, defaultCategory: category, defaultLevel: level, source: 'override', reason: record.reason, setBy: record.setBy, setAt: record.setAt };
}

/** True when a class differs from its default (a reason is then required). */
export const isOverride = (input: { category: DataCategoryCode; level: DataLevel }, d: { category: DataCategoryCode; level: DataLevel }): boolean =>
  input.category !== d.category || input.level !== d.level;

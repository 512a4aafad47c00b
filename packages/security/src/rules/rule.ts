/**
 * A detection rule as the engine runs it (compiled from the YAML rule format by `parseRules`).
 */
import type { ObservationKind } from '@yulian/contracts';
import type { FieldTest } from './conditions.js';

/** A compiled detection rule. */
export interface DetectionRule {
  id: number;
  /** 0 (silent: a parent for other rules) to 15. */
  level: number;
  title: string;
  titleEn: string;
  description: string | null;
  /** ATT&CK (for ICS) technique ids. */
  techniques: string[];
  tactic: string | null;
  /** Free tags (Wazuh's groups). */
  groups: string[];
  /** The kinds the rule can match (from `match.kind`); null: any. */
  kinds: ObservationKind[] | null;
  /** Field tests; all must hold. */
  match: FieldTest[];
  /** Parent rules: the rule is tested only on observations on which one of them fired. */
  parents: number[];
  /** Count hits in a window: fire when `frequency` hits (or distinct `different` values) fall within `timeframeMs`. */
  frequency: number | null;
  timeframeMs: number | null;
  /** Fields whose values group hits (Wazuh's same_srcip, generalised). */
  same: string[];
  /** Fields whose distinct values are counted instead of hits (different target.ip for discovery). */
  different: string[];
  /** After an event, no other event of the rule for the same group within this many ms. */
  ignoreMs: number;
  /** Active response asked for: block the source at the gateway for this many seconds. */
  blockSeconds: number | null;
  /** The rule as written (for listing rules). */
  spec: Record<string, unknown>;
  /** Where it was written: file name and line. */
  origin: { file: string; line: number };
}

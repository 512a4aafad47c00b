/** The shapes of the alarm APIs (`/api/v1/alarm-rules`, `/api/v1/alarms`): contracts' types, and the console's query. */

export {
  type Alarm,
  type AlarmComment,
  type AlarmCondition,
  type AlarmEscalation,
  type AlarmEvent,
  type AlarmEventKind,
  type AlarmFlood,
  type AlarmConditionKind as ConditionKind,
  type AlarmRule,
  type AlarmRuleInput,
  type AlarmState,
  type Comparison,
  type Severity,
  comparisons,
  severities,
} from '@yulian/contracts';
import type { AlarmConditionKind } from '@yulian/contracts';

/** The condition kinds the rule form offers, in its order. */
export const conditionKinds: readonly AlarmConditionKind[] = ['threshold', 'range', 'rate', 'noData', 'expression', 'anomaly'];

/** Which alarms to list. */
export interface AlarmQuery {
  /** true: active only; false: cleared only; absent: all. */
  active?: boolean;
  /** false (the server's default): shelved alarms hidden; true: only those; 'all': both. */
  shelved?: boolean | 'all';
  device?: string;
  limit?: number;
}

/** What trying a rule on a device's history answered: how often it would have fired. */
export interface RuleTrial {
  raises: number;
  activeAtEnd: boolean;
  from: string;
  to: string;
  samples: number;
  /** Bucket width of averaged history, or null for raw samples. */
  intervalMs: number | null;
  transitions: Array<{ type: 'raise' | 'clear'; at: string; reason: string }>;
}

import { ResponseCode, naPrefix } from '@yulian/protocols';
import { identifierProblems, isUnder, parsePrefix, tryParseIdentifier } from '../syntax.js';

/** A refusal: the response code and why. */
export interface AdminRefusal {
  rc: number;
  message: string;
}

/** Which records a node holds and may change: its prefix, minus delegated and withheld prefixes. */
export interface NodeScope {
  /** The node's prefix (`88.100`). */
  prefix: string;
  /** Prefixes under it that run their own node (`--delegate`). */
  delegated: readonly string[];
  /** Suspended prefixes: their records are kept but neither resolved nor changed. */
  withheld?: (prefix: string) => boolean;
}

/** What an administration request targets, once checked against the node's scope. */
export type ScopedTarget =
  | { kind: 'handle'; handle: string; prefix: string }
  /** A prefix handle `0.NA/<prefix>` this node holds. */
  | { kind: 'prefix'; handle: string; prefix: string };

const refuse = (rc: number, message: string): AdminRefusal => ({ rc, message });

/**
 * Whether this node holds the records of `prefix`: under its own prefix, not under a delegated one
 * (those live at the delegated node: RC 301, as for a resolution asked of the wrong server), and not
 * withheld (a suspended prefix: RC 401).
 */
export function scopeProblem(scope: NodeScope, prefix: string): AdminRefusal | undefined {
  if (!isUnder(prefix, scope.prefix)) return refuse(ResponseCode.SERVER_NOT_RESP, `This node holds ${scope.prefix}, not ${prefix}.`);
  const delegated = scope.delegated.find((d) => isUnder(prefix, d));
  if (delegated) return refuse(ResponseCode.SERVER_NOT_RESP, `Prefix ${delegated} is delegated to its own node; change ${prefix} there.`);
  if (scope.withheld?.(prefix)) return refuse(ResponseCode.INSUFFICIENT_PERMISSIONS, `Prefix ${prefix} is suspended: its records are not changed.`);
  return undefined;
}

/**
 * The normalised target of an administration request, or why this node refuses it: an invalid handle
 * (RC 102), one it does not hold (RC 301), a suspended prefix (RC 401). A prefix handle is held when
 * its prefix is; those of delegated prefixes are written from the node's configuration and refused
 * here like their records.
 */
export function scopeTarget(scope: NodeScope, handle: string): ScopedTarget | AdminRefusal {
  const id = tryParseIdentifier(handle);
  if (typeof id === 'string') return refuse(ResponseCode.INVALID_HANDLE, `${id}: ${identifierProblems[id]}`);
  if (id.prefix === naPrefix) {
    let prefix: string;
    try {
      prefix = parsePrefix(id.suffix);
    } catch (e) {
      return refuse(ResponseCode.INVALID_HANDLE, `${id.handle} does not name a prefix: ${(e as Error).message}`);
    }
    return scopeProblem(scope, prefix) ?? { kind: 'prefix', handle: `${naPrefix}/${prefix}`, prefix };
  }
  return scopeProblem(scope, id.prefix) ?? { kind: 'handle', handle: id.handle, prefix: id.prefix };
}

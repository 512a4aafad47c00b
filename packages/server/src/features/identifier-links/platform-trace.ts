import type { Config, Store } from '@yulian/core';
import { type Identifier, type RecordStore, type ResolutionAnswer, type SigningKeyStore, type TraceService, createLinkStore, createTraceService, isUnder, signingRecords } from '@yulian/identifier';
import type { PlatformIdentifier } from '../../identifier/embedded-nodes.js';
import { platformBackend } from '../../identifier/handles-routes.js';
import { platformSigningKeys } from '../../identifier/signing-keys.js';

/** What the platform's traceability needs: its store (links) and its identifier nodes (records, resolution). */
export interface PlatformTraceDeps {
  store: Store;
  config: Config;
  identifier: () => PlatformIdentifier | undefined;
}

/**
 * Resolves as `/api/handles` GET does (handles-routes.ts `platformBackend`): the platform's own nodes answer
 * theirs, the public entry the rest; each answer with the check of the record's signature.
 */
export function platformResolve(identifier: () => PlatformIdentifier | undefined, store?: Store): (handle: string) => Promise<ResolutionAnswer> {
  const backend = platformBackend(identifier, store);
  return (handle) => backend.resolve(handle);
}

/**
 * The record store of the platform node holding an identifier's prefix (the longest node prefix it lies
 * under: the demo enterprise's node for 88.100.1/…, the platform's secondary node for the rest of 88.100),
 * or undefined when no node of this platform holds it.
 */
export function platformRecordsOf(identifier: () => PlatformIdentifier | undefined, keys?: SigningKeyStore): (id: Pick<Identifier, 'prefix'>) => RecordStore | undefined {
  // Writes signed with the prefix's key when it has one, as every platform write is (one wrapper per node).
  const signed = new WeakMap<RecordStore, RecordStore>();
  const signing = (records: RecordStore): RecordStore => {
    if (!keys) return records;
    let s = signed.get(records);
    if (!s) signed.set(records, (s = signingRecords(records, keys)));
    return s;
  };
  return ({ prefix }) => {
    const nodes = identifier()?.nodes ?? [];
    let best: { prefix: string; records: RecordStore } | undefined;
    for (const n of nodes) {
      if (!n.records || !n.prefix || !isUnder(prefix, n.prefix)) continue;
      if (!best || n.prefix.length > best.prefix.length) best = { prefix: n.prefix, records: n.records };
    }
    return best && signing(best.records);
  };
}

/** The trace service of the platform: links in its store, published on the records of its nodes. */
export function platformTrace(deps: PlatformTraceDeps): TraceService {
  const keys = platformSigningKeys(deps.store, deps.config);
  return createTraceService({ links: createLinkStore(deps.store), recordsOf: platformRecordsOf(deps.identifier, keys), resolve: platformResolve(deps.identifier, deps.store) });
}

import { type Store, YulianError } from '@yulian/core';
import { type BulkRegistration, type IdentifierNode, type RecordStore, createBulkRegistration, isUnder } from '@yulian/identifier';
import type { PlatformIdentifier } from '../../identifier/embedded-nodes.js';
import type { FeatureDeps } from '../deps.js';

/** What the platform's bulk registration needs. */
export type BulkDeps = Pick<FeatureDeps, 'store' | 'logger' | 'identifier'>;

/**
 * The record store of the node holding a prefix: the one with the longest prefix it lies under, else the
 * platform's own node — the choice `routedRecords` makes, so bulk-registered identifiers land where
 * `/api/handles` writes and resolution looks. One node, because a batch commits in one transaction of
 * that node's store.
 */
export function nodeRecordsFor(identifier: BulkDeps['identifier'], prefix: string): RecordStore {
  const id = identifier();
  if (!id) throw new YulianError('SERVICE_UNAVAILABLE', 'Identifier resolution is starting; try again in a moment.');
  return nodeFor(id, prefix).records!;
}

/** The platform's node holding a prefix: the one with the longest prefix it lies under, else the platform's own. */
export function nodeFor(id: PlatformIdentifier, prefix: string): IdentifierNode {
  let best = id.secondary;
  for (const n of id.nodes) if (n.records && n.prefix && isUnder(prefix, n.prefix) && n.prefix.length > (best.prefix ?? '').length) best = n;
  return best;
}

/** The quota a prefix counts against: the nearest allocated prefix above it (or itself) with one. */
export async function quotaOf(store: Store, prefix: string): Promise<{ prefix: string; limit: number } | undefined> {
  const rows = await store.db.selectFrom('id_prefixes').select(['prefix', 'quota']).where('quota', 'is not', null).execute();
  const holder = rows.filter((r) => isUnder(prefix, r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return holder && { prefix: holder.prefix, limit: Number(holder.quota) };
}

const services = new WeakMap<Store, BulkRegistration>();

/**
 * The platform's bulk registration service, one per platform store: the HTTP feature queues jobs on it and
 * the platform starts it once the identifier nodes run (resuming jobs a stop or crash interrupted).
 */
export function platformBulkRegistration(deps: BulkDeps): BulkRegistration {
  let service = services.get(deps.store);
  if (!service) {
    service = createBulkRegistration({
      recordsFor: (prefix) => nodeRecordsFor(deps.identifier, prefix),
      stores: () => {
        const nodes = deps.identifier()?.nodes ?? [];
        const stores = nodes.map((n) => n.records?.store).filter((s): s is Store => s !== undefined);
        return stores.length ? stores : [deps.store];
      },
      quota: (prefix) => quotaOf(deps.store, prefix),
      logger: deps.logger,
    });
    services.set(deps.store, service);
  }
  return service;
}

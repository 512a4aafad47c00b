import { ResponseCode } from '@yulian/protocols';
import type { ResolutionBackend } from '../node/backend.js';
import type { RecordStore } from '../records.js';
import type { StatCounter } from './counters.js';

/**
 * A record store that counts the records it creates (registrations), after they are committed: a new
 * record through `create`, `put` or `insertMany`; a replaced or existing one is not counted.
 * @example const records = countingRecords(createRecordStore(store), stats)
 */
export function countingRecords(records: RecordStore, stats: Pick<StatCounter, 'registration'>): RecordStore {
  return {
    ...records,
    async create(handle, values) {
      await records.create(handle, values);
      stats.registration(handle);
    },
    async put(handle, values) {
      const existed = await records.put(handle, values);
      if (!existed) stats.registration(handle);
      return existed;
    },
    async insertMany(rows, options) {
      const outcome = await records.insertMany(rows, options);
      if (!outcome.inserted) return outcome;
      // Each existing identifier stands for one of its rows; every other row is a new record.
      const skip = new Map<string, number>();
      for (const h of outcome.existing) skip.set(h, (skip.get(h) ?? 0) + 1);
      for (const [handle] of rows) {
        const n = skip.size ? skip.get(handle) : undefined;
        if (n) skip.set(handle, n - 1);
        else stats.registration(handle);
      }
      return outcome;
    },
  };
}

/** Response codes a node answers from its own records: a resolver forwarding them has not answered itself. */
const answeredByNode = new Set<number>([ResponseCode.SUCCESS, ResponseCode.HANDLE_NOT_FOUND, ResponseCode.VALUES_NOT_FOUND]);

/**
 * A resolution backend that counts its answers. Each resolution is counted once, by the node that
 * answered it: a recursive resolver counts what it answers from its cache, invalid identifiers and its
 * failures, not an answer it fetched from another node (that node counted it).
 * @example const backend = countingBackend(createRecursiveResolver(options), stats)
 */
export function countingBackend(backend: ResolutionBackend, stats: Pick<StatCounter, 'resolution' | 'invalid'>): ResolutionBackend {
  return {
    async resolve(handle, filters) {
      const a = await backend.resolve(handle, filters);
      if (a.rc === ResponseCode.INVALID_HANDLE) stats.invalid();
      else if (!(a.source === 'remote' && answeredByNode.has(a.rc))) stats.resolution(a.handle, a.rc);
      return a;
    },
  };
}

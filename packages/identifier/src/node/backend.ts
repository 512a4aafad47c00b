import { type HandleValue, Permission, ResponseCode, decodeValues, valueWanted } from '@yulian/protocols';
import type { RecordStore } from '../records.js';
import type { SignatureReport } from '../signing/record-signature.js';
import { identifierProblems, tryParseIdentifier } from '../syntax.js';

/** Index and type filters of a resolution (none: every public value). */
export interface ResolutionFilters {
  indexes: readonly number[];
  types: readonly string[];
}

/** The answer to a resolution, whichever way it was found. */
export interface ResolutionAnswer {
  /** Handle response code: 1 success, 100 handle not found, 102 invalid handle, 200 values not found, 2 error, … */
  rc: number;
  /** The identifier as normalised (or as given when it is not valid). */
  handle: string;
  /** On success: the public values that match the filters. */
  values?: HandleValue[];
  message?: string;
  /** Where the answer came from: this node's records, a resolver's cache, or another node. */
  source?: 'local' | 'cache' | 'remote';
  /** How the record's SM2 signature checked out, when a verifying backend answered (signing/signed-records.ts). */
  signature?: SignatureReport;
}

/**
 * What an identifier node answers resolutions from, over any transport (the Handle protocol, the
 * Handle.Net-compatible HTTP API): a node's own records, or a recursive resolver.
 */
export interface ResolutionBackend {
  resolve(handle: string, filters?: ResolutionFilters): Promise<ResolutionAnswer>;
}

const none: ResolutionFilters = { indexes: [], types: [] };

/** Public values of an encoded list that match the filters. */
export function publicValues(list: Buffer, filters: ResolutionFilters = none): HandleValue[] {
  return decodeValues(list).filter((v) => v.permissions & Permission.PUBLIC_READ && valueWanted(v, filters.indexes, filters.types));
}

/** Resolves from a node's own records. */
export function localBackend(records: RecordStore): ResolutionBackend {
  return {
    async resolve(handle, filters = none) {
      const parsed = tryParseIdentifier(handle);
      if (typeof parsed === 'string') return { rc: ResponseCode.INVALID_HANDLE, handle, message: `${parsed}: ${identifierProblems[parsed]}` };
      const list = records.getSync ? records.getSync(parsed.handle) : await records.get(parsed.handle);
      if (list === undefined) return { rc: ResponseCode.HANDLE_NOT_FOUND, handle: parsed.handle, message: 'Handle not found', source: 'local' };
      const values = publicValues(list, filters);
      if (!values.length) return { rc: ResponseCode.VALUES_NOT_FOUND, handle: parsed.handle, message: 'No values of the requested types or indexes', source: 'local' };
      return { rc: ResponseCode.SUCCESS, handle: parsed.handle, values, source: 'local' };
    },
  };
}

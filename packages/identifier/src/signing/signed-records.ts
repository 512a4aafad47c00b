/**
 * Signing on write and verifying on read, as wrappers: a record store whose writes are signed with the
 * prefix's active key, and a resolution backend that checks the signature of what it answers.
 */
import { type HandleValue, Permission, ResponseCode, decodePublicKey, decodeValues } from '@yulian/protocols';
import type { ResolutionAnswer, ResolutionBackend } from '../node/backend.js';
import type { RecordStore } from '../records.js';
import type { SigningKeyStore } from './key-store.js';
import { type SignerKeyLookup, VerifiedSignatures, signRecord, signatureType, verifyRecord } from './record-signature.js';

const asValues = (v: readonly HandleValue[] | Buffer): readonly HandleValue[] => (Buffer.isBuffer(v) ? decodeValues(v) : v);

/**
 * The records with every create, put and update of an identifier signed by the active key of its prefix
 * (when there is one; a prefix without a key is written as given). Bulk inserts pass through unsigned:
 * signing costs ~0.5 ms a record, 200× a bulk row.
 */
export function signingRecords(records: RecordStore, keys: Pick<SigningKeyStore, 'signerFor'>, now: () => number = Date.now): RecordStore {
  const sign = async (handle: string, values: readonly HandleValue[] | Buffer): Promise<readonly HandleValue[] | Buffer> => {
    const signer = await keys.signerFor(handle);
    return signer ? signRecord(handle, asValues(values), { ...signer, now: now() }) : values;
  };
  return {
    ...records,
    get: (h) => records.get(h),
    list: (p, o) => records.list(p, o),
    count: (p) => records.count(p),
    delete: (h) => records.delete(h),
    insertMany: (rows, o) => records.insertMany(rows, o),
    create: async (h, v) => records.create(h, await sign(h, v)),
    put: async (h, v) => records.put(h, await sign(h, v)),
    async update(h, change) {
      const signer = await keys.signerFor(h);
      if (!signer) return records.update(h, change);
      return records.update(h, (values) => signRecord(h, change(values), { ...signer, now: now() }));
    },
  };
}

/**
 * The SM2 key published at a signer reference, resolved through a backend (a recursive resolver caches it
 * by its TTL): the `HS_PUBKEY` at that index, when it is an SM2 key.
 */
export function publishedKeys(backend: ResolutionBackend): SignerKeyLookup {
  return async (signer) => {
    const a = await backend.resolve(signer.handle, { indexes: [signer.index], types: [] });
    if (a.rc !== ResponseCode.SUCCESS) {
      if (a.rc === ResponseCode.HANDLE_NOT_FOUND || a.rc === ResponseCode.VALUES_NOT_FOUND) return undefined;
      throw new Error(a.message ?? `response code ${a.rc}`);
    }
    const v = a.values?.find((x) => x.index === signer.index && x.type === 'HS_PUBKEY' && x.permissions & Permission.PUBLIC_READ);
    if (!v) return undefined;
    const key = decodePublicKey(v.data);
    return key.type === 'SM2' ? key.point : undefined;
  };
}

/**
 * A backend whose successful answers carry `signature`: how the record's signature checked out against
 * the key its signer published (looked up through `keys`, by default through the same backend).
 */
export function verifyingBackend(backend: ResolutionBackend, keys: SignerKeyLookup = publishedKeys(backend)): ResolutionBackend {
  const verified = new VerifiedSignatures();
  return {
    async resolve(handle, filters) {
      const a: ResolutionAnswer = await backend.resolve(handle, filters);
      if (a.rc !== ResponseCode.SUCCESS || !a.values) return a;
      const filtered = filters !== undefined && (filters.indexes.length > 0 || filters.types.length > 0);
      // A filtered answer without the signature value: ask for it alone, so the values answered can be checked.
      let values = a.values;
      if (filtered && !values.some((v) => v.type === signatureType)) {
        const s = await backend.resolve(handle, { indexes: [], types: [signatureType] });
        if (s.rc === ResponseCode.SUCCESS && s.values) values = [...values, ...s.values];
      }
      a.signature = await verifyRecord(a.handle, values, keys, { verified });
      return a;
    },
  };
}

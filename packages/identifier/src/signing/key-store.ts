/**
 * Per-enterprise signing keys: one active SM2 key per prefix (older ones retired but kept, so records they
 * signed still verify), the private half sealed with SM4 under the platform's key-encryption key. The
 * public half is published as an `HS_PUBKEY` value at the prefix handle (`300:0.NA/88.100.1`, the next
 * index for each new key), where resolvers find it.
 */
import { type Store, sm2GenerateKeyPair, sm2PublicKeyToPem, sm4Open, sm4Seal } from '@yulian/core';
import { naPrefix } from '@yulian/protocols';
import { isUnder, parsePrefix, prefixChain } from '../syntax.js';
import type { SignerRef } from './record-signature.js';

/** The first index of a prefix's HS_PUBKEY values (Handle.Net's convention for a handle's public key). */
export const firstKeyIndex = 300;

/** A signing key as listed (never its private half). */
export interface SigningKeyInfo {
  prefix: string;
  index: number;
  /** `300:0.NA/88.100.1`: where the public key is published. */
  signer: string;
  state: 'active' | 'retired';
  /** 65-byte uncompressed point, hex. */
  publicKey: string;
  publicKeyPem: string;
  createdAt: string;
  retiredAt: string | null;
}

/** What signs a record: the private key and where its public half is. */
export interface RecordSigner {
  privateKey: Buffer;
  signer: SignerRef;
}

export interface SigningKeyStore {
  /** Keys of a prefix (or of every prefix), newest first. */
  list(prefix?: string): Promise<SigningKeyInfo[]>;
  /** A new active key for the prefix (the previous active one is retired in the same transaction). */
  create(prefix: string): Promise<SigningKeyInfo>;
  /** Retires a key: it signs nothing more, and stays published so its signatures still verify. */
  retire(prefix: string, index: number): Promise<SigningKeyInfo | undefined>;
  /** The active key of the longest prefix above the identifier's that has one (cached a few seconds). */
  signerFor(handle: string): Promise<RecordSigner | undefined>;
}

const prefixHandle = (prefix: string): string => `${naPrefix}/${prefix}`;

type KeyRow = { prefix: string; key_index: number; public_key: string; private_sealed: string; state: string; created_at: number; retired_at: number | null };

function infoOf(r: KeyRow): SigningKeyInfo {
  return {
    prefix: r.prefix,
    index: r.key_index,
    signer: `${r.key_index}:${prefixHandle(r.prefix)}`,
    state: r.state === 'active' ? 'active' : 'retired',
    publicKey: r.public_key,
    publicKeyPem: sm2PublicKeyToPem(Buffer.from(r.public_key, 'hex')),
    createdAt: new Date(Number(r.created_at)).toISOString(),
    retiredAt: r.retired_at === null ? null : new Date(Number(r.retired_at)).toISOString(),
  };
}

/**
 * Keys in the store's `id_signing_keys`, sealed with `kek` (16 bytes).
 * @example const keys = createSigningKeyStore(store, kek); await keys.create('88.100.1');
 */
export function createSigningKeyStore(store: Store, kek: Buffer, options: { now?: () => number; cacheMs?: number } = {}): SigningKeyStore {
  if (kek.length !== 16) throw new Error('the key-encryption key must be 16 bytes (SM4)');
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 5000;
  const db = store.db;
  // Per prefix: its active signer (or none), and when that was read.
  const cache = new Map<string, { signer: RecordSigner | undefined; at: number }>();
  const aad = (prefix: string, index: number): string => `id-signing-key:${prefix}:${index}`;

  async function active(prefix: string): Promise<RecordSigner | undefined> {
    const hit = cache.get(prefix);
    if (hit && now() - hit.at < cacheMs) return hit.signer;
    const row = await db.selectFrom('id_signing_keys').selectAll().where('prefix', '=', prefix).where('state', '=', 'active').executeTakeFirst();
    const signer = row && {
      privateKey: sm4Open(kek, Buffer.from(row.private_sealed, 'base64'), aad(row.prefix, row.key_index)),
      signer: { handle: prefixHandle(row.prefix), index: row.key_index },
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(prefix, { signer, at: now() });
    return signer;
  }

  return {
    async list(prefix) {
      let q = db.selectFrom('id_signing_keys').selectAll();
      if (prefix !== undefined) q = q.where('prefix', '=', parsePrefix(prefix));
      const rows = await q.orderBy('prefix').orderBy('key_index', 'desc').execute();
      return rows.map(infoOf);
    },
    async create(given) {
      const prefix = parsePrefix(given);
      const pair = sm2GenerateKeyPair();
      const at = now();
      const row = await db.transaction().execute(async (tx) => {
        const last = await tx.selectFrom('id_signing_keys').select((eb) => eb.fn.max('key_index').as('max')).where('prefix', '=', prefix).executeTakeFirst();
        const index = last?.max === null || last?.max === undefined ? firstKeyIndex : Number(last.max) + 1;
        await tx.updateTable('id_signing_keys').set({ state: 'retired', retired_at: at }).where('prefix', '=', prefix).where('state', '=', 'active').execute();
        const r: KeyRow = {
          prefix,
          key_index: index,
          public_key: pair.publicKey.toString('hex'),
          private_sealed: sm4Seal(kek, pair.privateKey, aad(prefix, index)).toString('base64'),
          state: 'active',
          created_at: at,
          retired_at: null,
        };
        await tx.insertInto('id_signing_keys').values(r).execute();
        return r;
      });
      cache.delete(prefix);
      return infoOf(row);
    },
    async retire(given, index) {
      const prefix = parsePrefix(given);
      await db.updateTable('id_signing_keys').set({ state: 'retired', retired_at: now() }).where('prefix', '=', prefix).where('key_index', '=', index).where('state', '=', 'active').execute();
      cache.delete(prefix);
      const row = await db.selectFrom('id_signing_keys').selectAll().where('prefix', '=', prefix).where('key_index', '=', index).executeTakeFirst();
      return row && infoOf(row);
    },
    async signerFor(handle) {
      const prefix = handle.split('/')[0]!;
      if (prefix.toUpperCase() === naPrefix) return undefined;
      // Longest prefix first: the enterprise's own key before its secondary node's.
      for (const p of prefixChain(prefix).reverse()) {
        if (!isUnder(prefix, p)) continue;
        const s = await active(p);
        if (s) return s;
      }
      return undefined;
    },
  };
}

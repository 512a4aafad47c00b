/**
 * The platform's record-signing keys: one key store per platform store (shared by `/api/handles`, the
 * identifier records API and the keys API), its key-encryption key from YULIAN_ID_KEY_SECRET or kept in
 * the store's settings, and the publication of each key as an `HS_PUBKEY` value at its prefix handle.
 */
import { randomBytes } from 'node:crypto';
import type { Config, Store } from '@yulian/core';
import { HandleError, type RecordStore, type SigningKeyInfo, type SigningKeyStore, createSigningKeyStore, type PrefixHandlePublisher } from '@yulian/identifier';
import { type HandleValue, Permission, ResponseCode, encodePublicKey, handleValue, naPrefix } from '@yulian/protocols';

const settingKey = 'identifier.key_secret';

/** The SM4 key sealing private keys: configured, else generated once and kept in `settings`. */
async function keyEncryptionKey(store: Store, config: Config): Promise<Buffer> {
  if (config.handle.keySecret) return Buffer.from(config.handle.keySecret, 'hex');
  const db = store.db;
  const existing = await db.selectFrom('settings').select('value').where('key', '=', settingKey).executeTakeFirst();
  if (!existing) {
    // Two processes starting together: the first insert wins; read back whichever did.
    await db.insertInto('settings').values({ key: settingKey, value: randomBytes(16).toString('hex') }).onConflict((oc) => oc.doNothing()).execute();
  }
  return Buffer.from((await db.selectFrom('settings').select('value').where('key', '=', settingKey).executeTakeFirstOrThrow()).value, 'hex');
}

const byStore = new WeakMap<Store, SigningKeyStore>();

/** The key store of a platform store (one per store, so every user of it shares the signer cache). */
export function platformSigningKeys(store: Store, config: Config): SigningKeyStore {
  const known = byStore.get(store);
  if (known) return known;
  let opened: Promise<SigningKeyStore> | undefined;
  const keys = (): Promise<SigningKeyStore> => (opened ??= keyEncryptionKey(store, config).then((kek) => createSigningKeyStore(store, kek)));
  const lazy: SigningKeyStore = {
    list: async (prefix) => (await keys()).list(prefix),
    create: async (prefix) => (await keys()).create(prefix),
    retire: async (prefix, index) => (await keys()).retire(prefix, index),
    signerFor: async (handle) => (await keys()).signerFor(handle),
  };
  byStore.set(store, lazy);
  return lazy;
}

/** The `HS_PUBKEY` value of a key, public (resolvers read it to verify signatures). */
export const publicKeyValue = (k: SigningKeyInfo): HandleValue =>
  handleValue(k.index, 'HS_PUBKEY', encodePublicKey({ type: 'SM2', point: Buffer.from(k.publicKey, 'hex') }), {
    permissions: Permission.ADMIN_READ | Permission.ADMIN_WRITE | Permission.PUBLIC_READ,
  });

/**
 * Writes every key of a prefix (active and retired: old signatures must still verify) into its prefix
 * handle `0.NA/<prefix>`, replacing the HS_PUBKEY values there; creates the handle when it is missing.
 */
export async function publishKeys(records: RecordStore, keys: SigningKeyStore, prefix: string): Promise<void> {
  const published = (await keys.list(prefix)).map(publicKeyValue);
  if (!published.length) return;
  const handle = `${naPrefix}/${prefix}`;
  const indexes = new Set(published.map((v) => v.index));
  const merge = (values: HandleValue[]): HandleValue[] => [...values.filter((v) => !indexes.has(v.index)), ...published].sort((a, b) => a.index - b.index);
  try {
    await records.update(handle, merge);
  } catch (e) {
    if (!(e instanceof HandleError && e.rc === ResponseCode.HANDLE_NOT_FOUND)) throw e;
    await records.create(handle, published);
  }
}

/** Publishes the keys of every prefix that has one (after the nodes wrote their prefix handles afresh). */
export async function publishAllKeys(records: RecordStore, keys: SigningKeyStore): Promise<number> {
  const prefixes = [...new Set((await keys.list()).map((k) => k.prefix))];
  for (const p of prefixes) await publishKeys(records, keys, p);
  return prefixes.length;
}

/** A prefix-handle publisher that keeps the prefix's keys in the handle it (re)writes. */
export function keepingKeys(publisher: PrefixHandlePublisher, records: () => RecordStore | undefined, keys: SigningKeyStore): PrefixHandlePublisher {
  return {
    async publish(allocation) {
      await publisher.publish(allocation);
      const r = records();
      if (r) await publishKeys(r, keys, allocation.prefix);
    },
    withdraw: (prefix) => publisher.withdraw(prefix),
  };
}

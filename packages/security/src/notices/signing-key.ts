/**
 * The platform's notice-signing key (SM2, GB/T 32918): generated on first use and kept in
 * `security_notice_keys`, its private half sealed with SM4 under a key-encryption key that is configured or
 * generated once into `settings`. Old keys stay (retired) so notices they signed still verify.
 */
import { randomBytes } from 'node:crypto';
import { type Store, sm2GenerateKeyPair, sm2PublicKeyToPem, sm3, sm4Open, sm4Seal } from '@yulian/core';

const kekSetting = 'security.notice_key_secret';

/** A notice-signing key as used and published (the private half only for signing). */
export interface NoticeSigningKey {
  /** SM3 of the uncompressed public key, hex. */
  fingerprint: string;
  publicKey: Buffer;
  publicKeyPem: string;
}

/** The signing key store. */
export interface NoticeKeyStore {
  /** The active key with its private half, made on first use. */
  active(): Promise<NoticeSigningKey & { privateKey: Buffer }>;
  /** A key by fingerprint (active or retired), or undefined. */
  byFingerprint(fingerprint: string): Promise<NoticeSigningKey | undefined>;
  /** Retires the active key and makes a new one (notices signed before still verify). */
  rotate(): Promise<NoticeSigningKey>;
}

/** SM3 fingerprint of a public key. */
export const keyFingerprint = (publicKey: Uint8Array): string => sm3(publicKey).toString('hex');

async function keyEncryptionKey(store: Store): Promise<Buffer> {
  const db = store.db;
  const read = () => db.selectFrom('settings').select('value').where('key', '=', kekSetting).executeTakeFirst();
  // Two processes starting together: the first insert wins; both read back the winner.
  if (!(await read())) await db.insertInto('settings').values({ key: kekSetting, value: randomBytes(16).toString('hex') }).onConflict((oc) => oc.doNothing()).execute();
  return Buffer.from((await read())!.value, 'hex');
}

/**
 * The notice-signing keys of a store. `kek` (16 bytes) seals the private halves; default: one generated
 * once into `settings`.
 * @example const keys = createNoticeKeyStore(store); const { publicKeyPem } = await keys.active();
 */
export function createNoticeKeyStore(store: Store, options: { kek?: Buffer; now?: () => number } = {}): NoticeKeyStore {
  if (options.kek && options.kek.length !== 16) throw new Error('the notice key-encryption key must be 16 bytes (SM4)');
  const now = options.now ?? Date.now;
  const db = store.db;
  let kek: Promise<Buffer> | undefined = options.kek ? Promise.resolve(options.kek) : undefined;
  const sealingKey = (): Promise<Buffer> => (kek ??= keyEncryptionKey(store));
  const aad = (fingerprint: string): string => `security-notice-key:${fingerprint}`;
  const info = (publicHex: string): NoticeSigningKey => {
    const publicKey = Buffer.from(publicHex, 'hex');
    return { fingerprint: keyFingerprint(publicKey), publicKey, publicKeyPem: sm2PublicKeyToPem(publicKey) };
  };
  // Single-flight: concurrent first signers share one key instead of each making its own.
  let cached: Promise<NoticeSigningKey & { privateKey: Buffer }> | undefined;

  async function create(): Promise<NoticeSigningKey> {
    const pair = sm2GenerateKeyPair();
    const fingerprint = keyFingerprint(pair.publicKey);
    const sealed = sm4Seal(await sealingKey(), pair.privateKey, aad(fingerprint)).toString('base64');
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('security_notice_keys').set({ state: 'retired' }).where('state', '=', 'active').execute();
      await tx.insertInto('security_notice_keys').values({ fingerprint, public_key: pair.publicKey.toString('hex'), private_sealed: sealed, state: 'active', created_at: now() }).execute();
    });
    return info(pair.publicKey.toString('hex'));
  }

  return {
    active() {
      cached ??= (async () => {
        const newest = () => db.selectFrom('security_notice_keys').selectAll().where('state', '=', 'active').orderBy('created_at', 'desc').executeTakeFirst();
        let row = await newest();
        if (!row) {
          await create();
          row = (await newest())!;
        }
        return { ...info(row.public_key), privateKey: sm4Open(await sealingKey(), Buffer.from(row.private_sealed, 'base64'), aad(row.fingerprint)) };
      })();
      cached.catch(() => (cached = undefined));
      return cached;
    },
    async byFingerprint(fingerprint) {
      const row = await db.selectFrom('security_notice_keys').select('public_key').where('fingerprint', '=', fingerprint).executeTakeFirst();
      return row && info(row.public_key);
    },
    async rotate() {
      const key = await create();
      cached = undefined;
      return key;
    },
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { YulianError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { type BytesLike, hmacSm3, toBytes } from './sm3.js';
import { SM4_BLOCK_BYTES, sm4Ctr, sm4DecryptCbc, sm4EncryptCbc, sm4Open, sm4Seal } from './sm4.js';

/** The SM4 modes of the keyring's envelopes. */
export type KeyringMode = 'cbc' | 'ctr';

/** Options of `encrypt`, `decrypt` and `reencrypt`. */
export interface EnvelopeOptions {
  /** Bytes the envelope is bound to but does not carry (e.g. `telemetry:<series>:<ts>`): decrypt needs the same. */
  aad?: BytesLike;
}

/** A data key as `list()` shows it (never the key itself). */
export interface DataKeyInfo {
  id: string;
  active: boolean;
  createdAt: number;
  retiredAt: number | null;
}

/** What `createKeyring` needs. */
export interface KeyringOptions {
  db: Kysely<Database>;
  /** 16 bytes: `loadMasterKey(...).key`. */
  masterKey: Uint8Array;
  /** How long another process's rotation may go unnoticed here (default 30 s); older keys still decrypt meanwhile. */
  activeCacheMs?: number;
}

const PREFIX = 'ysm4';
const VERSION = 'v1';
const TAG_BYTES = 32;
const KEY_ID = /^[0-9a-f]{16}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

interface Subkeys {
  enc: Buffer;
  mac: Buffer;
}

const subkeys = (key: Uint8Array): Subkeys => ({
  enc: hmacSm3(key, 'yulian/keyring/v1/enc').subarray(0, SM4_BLOCK_BYTES),
  mac: hmacSm3(key, 'yulian/keyring/v1/mac'),
});

/** HMAC-SM3 over `uint64be(len(aad)) ‖ aad ‖ the envelope's text up to its tag`. */
function tagOf(mac: Buffer, body: string, aad: Buffer): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(aad.length));
  return hmacSm3(mac, Buffer.concat([length, aad, Buffer.from(body, 'ascii')]));
}

const wrapLabel = (id: string): string => `yulian/data-key/${id}`;
const invalid = (message: string): YulianError => new YulianError('CIPHERTEXT_INVALID', message);

interface Parsed {
  keyId: string;
  mode: KeyringMode;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  body: string;
}

/** Splits an envelope, checking its form before any key is looked up. */
function parse(envelope: string): Parsed {
  if (typeof envelope !== 'string') throw invalid('An envelope is a string.');
  const parts = envelope.split('.');
  if (parts.length !== 7 || parts[0] !== PREFIX) throw invalid('Not a keyring envelope: expected ysm4.v1.<key>.<mode>.<iv>.<ciphertext>.<tag>.');
  const [, version, keyId = '', mode = '', iv = '', ciphertext = '', tag = ''] = parts;
  if (version !== VERSION) throw invalid(`Unknown envelope version ${JSON.stringify(version)}; this Yulian reads ${VERSION}.`);
  if (!KEY_ID.test(keyId)) throw invalid('The envelope’s key id is not 16 hex digits.');
  if (mode !== 'cbc' && mode !== 'ctr') throw invalid(`Unknown envelope mode ${JSON.stringify(mode)}; expected cbc or ctr.`);
  if (![iv, ciphertext, tag].every((p) => B64URL.test(p))) throw invalid('The envelope holds characters outside base64url.');
  const parsed = { keyId, mode, iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') } as const;
  if (parsed.iv.length !== SM4_BLOCK_BYTES || parsed.tag.length !== TAG_BYTES) throw invalid('The envelope’s IV or tag has the wrong length: it was truncated or altered.');
  if (mode === 'cbc' && (parsed.ciphertext.length === 0 || parsed.ciphertext.length % SM4_BLOCK_BYTES !== 0)) {
    throw invalid('The envelope’s CBC ciphertext is not a whole number of blocks: it was truncated or altered.');
  }
  return { ...parsed, body: envelope.slice(0, envelope.lastIndexOf('.')) };
}

/**
 * The SM4 keyring for data at rest: SM4-128 data keys in table `data_keys`, each sealed under the master
 * key; one is active for new data, rotated ones still decrypt. `encrypt` makes a self-describing text
 * envelope `ysm4.v1.<key id>.<cbc|ctr>.<iv>.<ciphertext>.<tag>` (base64url), encrypt-then-MAC: SM4-CBC
 * (PKCS#7) or SM4-CTR under a subkey, then HMAC-SM3 under another over the whole envelope and the optional
 * associated data, since CBC and CTR alone let an attacker flip plaintext bits unseen.
 * @example
 * const keyring = createKeyring({ db: store.db, masterKey: loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir }).key });
 * const sealed = await keyring.encrypt('42.5', { mode: 'ctr', aad: 'telemetry:7' });
 * (await keyring.decrypt(sealed, { aad: 'telemetry:7' })).toString() // '42.5'
 */
export function createKeyring(options: KeyringOptions) {
  const { db } = options;
  const master = Buffer.from(options.masterKey);
  if (master.length !== SM4_BLOCK_BYTES) throw new YulianError('CONFIG_INVALID', `The master key is 16 bytes (32 hex digits); got ${master.length}.`);
  const activeCacheMs = options.activeCacheMs ?? 30_000;
  const keys = new Map<string, Promise<Subkeys>>();
  let active: { id: string; until: number } | undefined;

  const unwrap = async (id: string): Promise<Subkeys> => {
    const row = await db.selectFrom('data_keys').select('wrapped').where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('DATA_KEY_UNAVAILABLE', `No data key ${id} in this store: the envelope comes from another installation, or its key row was removed.`);
    try {
      return subkeys(sm4Open(master, Buffer.from(row.wrapped, 'base64'), wrapLabel(id)));
    } catch (cause) {
      throw new YulianError('DATA_KEY_UNAVAILABLE', `The master key does not open data key ${id}: YULIAN_MASTER_KEY or <dataDir>/master.key is not the key it was sealed under.`, { cause });
    }
  };
  const keyFor = (id: string): Promise<Subkeys> => {
    let found = keys.get(id);
    if (!found) {
      found = unwrap(id);
      keys.set(id, found);
      // A failure is not remembered: the row or the right master key may appear later.
      found.catch(() => keys.delete(id));
    }
    return found;
  };
  const newKey = (): { id: string; wrapped: string; key: Buffer } => {
    const id = randomBytes(8).toString('hex');
    const key = randomBytes(SM4_BLOCK_BYTES);
    return { id, key, wrapped: sm4Seal(master, key, wrapLabel(id)).toString('base64') };
  };
  const activeId = async (): Promise<string> => {
    if (active && active.until > Date.now()) return active.id;
    let row = await db.selectFrom('data_keys').select('id').where('active', '=', 1).executeTakeFirst();
    if (!row) {
      // The first use: whichever process inserts first makes the key, the unique `active` keeps it one.
      const k = newKey();
      await db.insertInto('data_keys').values({ id: k.id, wrapped: k.wrapped, active: 1, created_at: Date.now(), retired_at: null }).onConflict((oc) => oc.column('active').doNothing()).execute();
      row = await db.selectFrom('data_keys').select('id').where('active', '=', 1).executeTakeFirstOrThrow();
    }
    active = { id: row.id, until: Date.now() + activeCacheMs };
    return row.id;
  };

  const encryptWith = async (keyId: string, plain: BytesLike, mode: KeyringMode, aad: BytesLike): Promise<string> => {
    const { enc, mac } = await keyFor(keyId);
    const iv = randomBytes(SM4_BLOCK_BYTES);
    const ciphertext = mode === 'cbc' ? sm4EncryptCbc(enc, iv, plain) : sm4Ctr(enc, iv, plain);
    const body = [PREFIX, VERSION, keyId, mode, iv.toString('base64url'), ciphertext.toString('base64url')].join('.');
    return `${body}.${tagOf(mac, body, toBytes(aad)).toString('base64url')}`;
  };
  const open = async (envelope: string, aad: BytesLike): Promise<{ parsed: Parsed; plain: Buffer }> => {
    const parsed = parse(envelope);
    const { enc, mac } = await keyFor(parsed.keyId);
    if (!timingSafeEqual(tagOf(mac, parsed.body, toBytes(aad)), parsed.tag)) {
      throw invalid('The envelope does not authenticate: it was altered or truncated, or its associated data differs.');
    }
    try {
      return { parsed, plain: parsed.mode === 'cbc' ? sm4DecryptCbc(enc, parsed.iv, parsed.ciphertext) : sm4Ctr(enc, parsed.iv, parsed.ciphertext) };
    } catch (cause) {
      // Only reachable by someone holding the MAC key: an authentic envelope with bad padding.
      throw new YulianError('CIPHERTEXT_INVALID', 'The envelope authenticates but its CBC padding is wrong.', { cause });
    }
  };

  return {
    /** Encrypts under the active data key (made on first use); mode `ctr` unless told. */
    async encrypt(plain: BytesLike, opts: EnvelopeOptions & { mode?: KeyringMode } = {}): Promise<string> {
      return encryptWith(await activeId(), plain, opts.mode ?? 'ctr', opts.aad ?? '');
    },
    /**
     * The plaintext of an envelope, under whichever data key made it.
     * @throws YulianError CIPHERTEXT_INVALID (malformed, altered, other aad) or DATA_KEY_UNAVAILABLE (unknown key, wrong master key)
     */
    async decrypt(envelope: string, opts: EnvelopeOptions = {}): Promise<Buffer> {
      return (await open(envelope, opts.aad ?? '')).plain;
    },
    /** The same plaintext under the active key, same mode (unchanged when already under it): for re-keying stored data after `rotate()`. */
    async reencrypt(envelope: string, opts: EnvelopeOptions = {}): Promise<string> {
      const aad = opts.aad ?? '';
      const { parsed, plain } = await open(envelope, aad);
      const id = await activeId();
      return parsed.keyId === id ? envelope : encryptWith(id, plain, parsed.mode, aad);
    },
    /** Makes a new active data key and retires the old one (which still decrypts). */
    async rotate(): Promise<DataKeyInfo> {
      const k = newKey();
      const now = Date.now();
      for (let attempt = 1; ; attempt++) {
        try {
          await db.transaction().execute(async (trx) => {
            await trx.updateTable('data_keys').set({ active: null, retired_at: now }).where('active', '=', 1).execute();
            await trx.insertInto('data_keys').values({ id: k.id, wrapped: k.wrapped, active: 1, created_at: now, retired_at: null }).execute();
          });
          break;
        } catch (e) {
          // Another process rotated at the same moment (its new key holds `active`): retire that one too.
          if (attempt >= 5 || !isUniqueViolation(e)) throw e;
        }
      }
      keys.set(k.id, Promise.resolve(subkeys(k.key)));
      active = { id: k.id, until: Date.now() + activeCacheMs };
      return { id: k.id, active: true, createdAt: now, retiredAt: null };
    },
    /** Every data key, oldest first. */
    async list(): Promise<DataKeyInfo[]> {
      const rows = await db.selectFrom('data_keys').select(['id', 'active', 'created_at', 'retired_at']).orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, active: r.active === 1, createdAt: Number(r.created_at), retiredAt: r.retired_at === null ? null : Number(r.retired_at) }));
    },
    /** Opens every data key with the master key: call at start-up to fail early on a wrong master key. Returns how many. */
    async check(): Promise<number> {
      const rows = await db.selectFrom('data_keys').select('id').execute();
      for (const r of rows) await keyFor(r.id);
      return rows.length;
    },
  };
}

/** The keyring's interface. */
export type Keyring = ReturnType<typeof createKeyring>;

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

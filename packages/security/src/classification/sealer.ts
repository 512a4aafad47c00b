/**
 * How level-3 values are sealed at rest: a small interface over the SM4 keyring, so the keyring (or
 * any other key source) is chosen in one place.
 */
import { randomBytes } from 'node:crypto';
import { type Keyring, type Store, YulianError, sm4Open, sm4Seal } from '@yulian/core';

/** Seals text into a self-describing envelope and opens it again. */
export interface Sealer {
  /** SM4-encrypts and authenticates `text`; the envelope names its format (and key). */
  seal(text: string): Promise<string>;
  /** Opens an envelope made by `seal`. @throws YulianError when it does not authenticate */
  open(envelope: string): Promise<string>;
}

const keySetting = 'data-classification.seal_key';
const prefix = 'ys1.';
const aad = 'yulian/data-classification/level3';

/**
 * A sealer on core's `sm4Seal` (SM4-CTR + HMAC-SM3) with one 16-byte key generated once into `settings`;
 * envelopes are `ys1.<base64>`. Used until the keyring (`crypto/keyring.ts`) is wired in.
 * @example const sealer = createSettingsSealer(store); await sealer.open(await sealer.seal('42'))
 */
export function createSettingsSealer(store: Store): Sealer {
  let key: Promise<Buffer> | undefined;
  const load = async (): Promise<Buffer> => {
    const read = () => store.db.selectFrom('settings').select('value').where('key', '=', keySetting).executeTakeFirst();
    // Two processes starting together: the first insert wins; both read back the winner.
    if (!(await read())) await store.db.insertInto('settings').values({ key: keySetting, value: randomBytes(16).toString('hex') }).onConflict((oc) => oc.doNothing()).execute();
    return Buffer.from((await read())!.value, 'hex');
  };
  const keyOf = (): Promise<Buffer> => (key ??= load().catch((e: unknown) => {
    key = undefined;
    throw e;
  }));
  return {
    async seal(text) {
      return prefix + sm4Seal(await keyOf(), text, aad).toString('base64');
    },
    async open(envelope) {
      if (!envelope.startsWith(prefix)) throw new YulianError('CRYPTO_INPUT_INVALID', 'Not a sealed level-3 value (expected the ys1. envelope).');
      return sm4Open(await keyOf(), Buffer.from(envelope.slice(prefix.length), 'base64'), aad).toString('utf8');
    },
  };
}

/**
 * A sealer on core's SM4 keyring (`crypto/keyring.ts`): `ysm4.v1.<key id>.ctr.…` envelopes under the
 * active data key, bound to the level-3 label; rotated keys still open older envelopes.
 * @example const sealer = createKeyringSealer(createKeyring({ db: store.db, masterKey }))
 */
export function createKeyringSealer(keyring: Keyring): Sealer {
  return {
    seal: (text) => keyring.encrypt(text, { mode: 'ctr', aad }),
    open: async (envelope) => (await keyring.decrypt(envelope, { aad })).toString('utf8'),
  };
}

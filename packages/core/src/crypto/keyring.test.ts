import { createDecipheriv } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { YulianError } from '../errors/index.js';
import { type Store, createStore } from '../store/index.js';
import { storeBackends } from '../testing/index.js';
import { createKeyring } from './keyring.js';
import { loadMasterKey } from './master-key.js';
import { hmacSm3 } from './sm3.js';
import { sm4Open } from './sm4.js';

const MASTER = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

/** The error code a promise rejects with. */
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof YulianError) return e.code;
    throw e;
  }
  throw new Error('expected a rejection');
};

/** Replaces one base64url character of part `index` of an envelope with another. */
const alter = (envelope: string, index: number): string => {
  const parts = envelope.split('.');
  const p = parts[index]!;
  parts[index] = (p[0] === 'A' ? 'B' : 'A') + p.slice(1);
  return parts.join('.');
};

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`SM4 keyring on ${backend.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    const open = async (): Promise<{ store: Store; url: string; dataDir: string }> => {
      const opened = await backend.open();
      cleanups.push(opened.cleanup);
      return opened;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    it('round-trips text and bytes in CBC and CTR, with a fresh IV each time, as plain SM4-CBC under the derived key', async () => {
      const { store } = await open();
      const keyring = createKeyring({ db: store.db, masterKey: MASTER });
      for (const mode of ['cbc', 'ctr'] as const) {
        for (const plain of ['', '42.5', '温度 23.4 ℃', 'x'.repeat(1000)]) {
          const sealed = await keyring.encrypt(plain, { mode });
          expect(sealed).toMatch(new RegExp(`^ysm4\\.v1\\.[0-9a-f]{16}\\.${mode}\\.[\\w-]{22}\\.[\\w-]*\\.[\\w-]{43}$`));
          expect((await keyring.decrypt(sealed)).toString('utf8')).toBe(plain);
        }
      }
      const bytes = Uint8Array.from([0, 1, 2, 255]);
      expect([...(await keyring.decrypt(await keyring.encrypt(bytes, { mode: 'cbc' })))]).toEqual([0, 1, 2, 255]);
      const [a, b] = [await keyring.encrypt('same'), await keyring.encrypt('same')];
      expect(a).not.toBe(b);

      // Independently: unseal the data key with the master key, derive the encryption subkey, run OpenSSL's sm4-cbc.
      const sealed = await keyring.encrypt('interop check', { mode: 'cbc' });
      const [, , keyId, , iv, ciphertext] = sealed.split('.') as [string, string, string, string, string, string];
      const row = await store.db.selectFrom('data_keys').select('wrapped').where('id', '=', keyId).executeTakeFirstOrThrow();
      const dataKey = sm4Open(MASTER, Buffer.from(row.wrapped, 'base64'), `yulian/data-key/${keyId}`);
      const enc = hmacSm3(dataKey, 'yulian/keyring/v1/enc').subarray(0, 16);
      const d = createDecipheriv('sm4-cbc', enc, Buffer.from(iv, 'base64url'));
      expect(Buffer.concat([d.update(Buffer.from(ciphertext, 'base64url')), d.final()]).toString()).toBe('interop check');
    });

    it('refuses altered, truncated or rebound envelopes with CIPHERTEXT_INVALID and never returns plaintext', async () => {
      const { store } = await open();
      const keyring = createKeyring({ db: store.db, masterKey: MASTER });
      const sealed = await keyring.encrypt('setpoint 80', { mode: 'cbc', aad: 'device:7' });
      expect((await keyring.decrypt(sealed, { aad: 'device:7' })).toString()).toBe('setpoint 80');
      expect(await codeOf(keyring.decrypt(sealed, { aad: 'device:8' }))).toBe('CIPHERTEXT_INVALID');
      expect(await codeOf(keyring.decrypt(sealed))).toBe('CIPHERTEXT_INVALID');
      for (const index of [4, 5, 6]) expect(await codeOf(keyring.decrypt(alter(sealed, index), { aad: 'device:7' }))).toBe('CIPHERTEXT_INVALID');
      expect(await codeOf(keyring.decrypt(sealed.replace('.cbc.', '.ctr.'), { aad: 'device:7' }))).toBe('CIPHERTEXT_INVALID');
      expect(await codeOf(keyring.decrypt(sealed.slice(0, -4), { aad: 'device:7' }))).toBe('CIPHERTEXT_INVALID');
      for (const junk of ['', 'hello', 'ysm4.v2.0011223344556677.ctr.AAAA.AAAA.AAAA', 'ysm4.v1.XYZ.ctr.a.b.c', 'ysm4.v1.0011223344556677.ecb.a.b.c', 'ysm4.v1.0011223344556677.ctr.a!.b.c']) {
        expect(await codeOf(keyring.decrypt(junk))).toBe('CIPHERTEXT_INVALID');
      }
      // Another key's id: no such key here.
      expect(await codeOf(keyring.decrypt(sealed.replace(/^ysm4\.v1\.[0-9a-f]{16}/, 'ysm4.v1.0123456789abcdef'), { aad: 'device:7' }))).toBe('DATA_KEY_UNAVAILABLE');
    });

    it('rotates: the new key encrypts, retired keys still decrypt, reencrypt moves data to the active key', async () => {
      const { store } = await open();
      const keyring = createKeyring({ db: store.db, masterKey: MASTER });
      const old = await keyring.encrypt('v1 data', { mode: 'cbc', aad: 'r1' });
      const [first] = await keyring.list();
      expect(first).toMatchObject({ active: true, retiredAt: null });
      const rotated = await keyring.rotate();
      expect(rotated.id).not.toBe(first!.id);
      const keys = await keyring.list();
      expect(keys.map((k) => [k.id, k.active])).toEqual([[first!.id, false], [rotated.id, true]]);
      expect(keys[0]!.retiredAt).toBeGreaterThanOrEqual(keys[0]!.createdAt);
      expect((await keyring.encrypt('new')).split('.')[2]).toBe(rotated.id);
      expect((await keyring.decrypt(old, { aad: 'r1' })).toString()).toBe('v1 data');
      const moved = await keyring.reencrypt(old, { aad: 'r1' });
      expect(moved.split('.').slice(2, 4)).toEqual([rotated.id, 'cbc']);
      expect((await keyring.decrypt(moved, { aad: 'r1' })).toString()).toBe('v1 data');
      expect(await keyring.reencrypt(moved, { aad: 'r1' })).toBe(moved);
      // A second process (a keyring of its own) reads both.
      const other = createKeyring({ db: store.db, masterKey: MASTER });
      expect((await other.decrypt(old, { aad: 'r1' })).toString()).toBe('v1 data');
      expect(await other.check()).toBe(2);
    });

    it('fails with DATA_KEY_UNAVAILABLE under a wrong master key', async () => {
      const { store } = await open();
      const sealed = await createKeyring({ db: store.db, masterKey: MASTER }).encrypt('secret');
      const wrong = createKeyring({ db: store.db, masterKey: Buffer.alloc(16, 7) });
      expect(await codeOf(wrong.decrypt(sealed))).toBe('DATA_KEY_UNAVAILABLE');
      expect(await codeOf(wrong.check())).toBe('DATA_KEY_UNAVAILABLE');
      expect(() => createKeyring({ db: store.db, masterKey: Buffer.alloc(8) })).toThrow(/16 bytes/);
    });

    // Only PostgreSQL has several processes on one store (SQLite is one file per process here).
    if (backend.name === 'postgres') it('keeps one active key when two processes start and rotate at once', async () => {
      const { store, url, dataDir } = await open();
      const second = await createStore({ url, dataDir });
      cleanups.push(() => second.close());
      const a = createKeyring({ db: store.db, masterKey: MASTER });
      const b = createKeyring({ db: second.db, masterKey: MASTER });
      const [ea, eb] = await Promise.all([a.encrypt('from a'), b.encrypt('from b')]);
      expect(ea.split('.')[2]).toBe(eb.split('.')[2]);
      await Promise.all([a.rotate(), b.rotate(), a.rotate(), b.rotate()]);
      const keys = await a.list();
      expect(keys).toHaveLength(5);
      expect(keys.filter((k) => k.active)).toHaveLength(1);
      expect((await b.decrypt(ea)).toString()).toBe('from a');
    });
  });
}

describe('master key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yulian-master-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once into <dataDir>/master.key with mode 0600, then read from there', () => {
    const dataDir = join(dir, 'a');
    const made = loadMasterKey({ dataDir });
    expect(made.source).toBe('generated');
    expect(made.key).toHaveLength(16);
    expect(statSync(made.path!).mode & 0o777).toBe(0o600);
    expect(readFileSync(made.path!, 'utf8').trim()).toBe(made.key.toString('hex'));
    const again = loadMasterKey({ dataDir });
    expect(again).toMatchObject({ source: 'file', path: made.path });
    expect(again.key.equals(made.key)).toBe(true);
    expect(again.warning).toBeUndefined();
  });

  it('prefers the configured key, and names a bad key file or a readable one', () => {
    const dataDir = join(dir, 'b');
    expect(loadMasterKey({ masterKey: 'A'.repeat(32), dataDir })).toEqual({ key: Buffer.alloc(16, 0xaa), source: 'config' });
    expect(() => loadMasterKey({ masterKey: 'xyz', dataDir })).toThrow(/32 hex digits/);
    loadMasterKey({ dataDir });
    writeFileSync(join(dataDir, 'master.key'), 'not a key\n');
    chmodSync(join(dataDir, 'master.key'), 0o644);
    expect(() => loadMasterKey({ dataDir })).toThrow(expect.objectContaining({ code: 'DATA_KEY_UNAVAILABLE' }));
    writeFileSync(join(dataDir, 'master.key'), `${'1'.repeat(32)}\n`);
    expect(loadMasterKey({ dataDir }).warning).toMatch(/mode 0644; make it 0600/);
  });
});

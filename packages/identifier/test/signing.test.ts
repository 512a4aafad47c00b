import { randomBytes } from 'node:crypto';
import { type Store, sm2GenerateKeyPair, sm2Verify, sm2SignatureFromRaw, storeBackends } from '@yulian/core';
import {
  type RecordStore,
  type SignerKeyLookup,
  type SigningKeyStore,
  createRecordStore,
  createSigningKeyStore,
  localBackend,
  readSignature,
  signRecord,
  signedBytes,
  signingRecords,
  verifyRecord,
  verifyingBackend,
} from '@yulian/identifier';
import { type HandleValue, decodeValues, encodePublicKey, handleValue } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const handle = '88.100.1/p-2024-0001';
const signer = { handle: '0.NA/88.100.1', index: 300 };
const pair = sm2GenerateKeyPair();
const keyOf: SignerKeyLookup = async (s) => (s.handle === signer.handle && s.index === signer.index ? pair.publicKey : undefined);
const values = (): HandleValue[] => [
  handleValue(1, 'URL', 'https://example.com/p/1', { timestamp: 1_700_000_000 }),
  handleValue(2, 'yulian.product', JSON.stringify({ name: '减速机', model: 'RV-40E', batch: 'B7' }), { timestamp: 1_700_000_000 }),
  handleValue(100, 'HS_ADMIN', Buffer.from('00ff', 'hex'), { timestamp: 1_700_000_000, permissions: 0x0c }),
];

describe('signed records (SM2 over SM3 digests of the values)', () => {
  it('signs every value, and the signature verifies with core’s GB/T 32918 SM2 over the documented bytes', async () => {
    const signed = signRecord(handle, values(), { privateKey: pair.privateKey, signer, now: 1_700_000_123_000 });
    const sig = signed.find((v) => v.type === 'HS_SIGNATURE')!;
    expect(sig.index).toBe(400);
    const s = readSignature(sig);
    if (typeof s === 'string') throw new Error(s);
    expect(s).toMatchObject({ alg: 'SM2-SM3', sub: handle, signer: '300:0.NA/88.100.1', iat: 1_700_000_123 });
    expect(s.digests.map((d) => d.index)).toEqual([1, 2, 100]);
    expect(sm2Verify(pair.publicKey, signedBytes(s), sm2SignatureFromRaw(Buffer.from(s.sig, 'hex')))).toBe(true);
    expect(await verifyRecord(handle, signed, keyOf)).toEqual({ status: 'valid', signer: '300:0.NA/88.100.1', signedAt: '2023-11-14T22:15:23.000Z', verified: [1, 2, 100] });
  });

  it('reports which value was changed after signing, and ignores a restamped timestamp', async () => {
    const signed = signRecord(handle, values(), { privateKey: pair.privateKey, signer });
    const restamped = signed.map((v) => ({ ...v, timestamp: v.timestamp + 60 }));
    expect((await verifyRecord(handle, restamped, keyOf)).status).toBe('valid');
    const changed = signed.map((v) => (v.index === 2 ? { ...v, data: Buffer.from(JSON.stringify({ name: '减速机', model: 'RV-80E' })) } : v));
    expect(await verifyRecord(handle, changed, keyOf)).toMatchObject({ status: 'invalid', reason: 'value 2 (yulian.product) was changed after signing' });
    const loosened = signed.map((v) => (v.index === 1 ? { ...v, permissions: 0x0f } : v));
    expect((await verifyRecord(handle, loosened, keyOf)).status).toBe('invalid');
  });

  it('verifies the values a filtered resolution answered, and says which answered values are not signed', async () => {
    const signed = signRecord(handle, values(), { privateKey: pair.privateKey, signer });
    const subset = signed.filter((v) => v.index === 1 || v.type === 'HS_SIGNATURE');
    expect(await verifyRecord(handle, subset, keyOf)).toMatchObject({ status: 'valid', verified: [1] });
    const added = [...signed, handleValue(3, 'EMAIL', 'x@example.com')];
    expect(await verifyRecord(handle, added, keyOf)).toMatchObject({ status: 'partial', unsigned: [3], verified: [1, 2, 100] });
  });

  it('refuses another identifier’s signature, a signer outside the prefix, a forged signature, a missing key and garbage', async () => {
    const signed = signRecord(handle, values(), { privateKey: pair.privateKey, signer });
    expect(await verifyRecord('88.100.1/other', signed, keyOf)).toMatchObject({ status: 'invalid', reason: `the signature is for ${handle}, not 88.100.1/other` });

    const outsider = { handle: '0.NA/88.100.2', index: 300 };
    const byOutsider = signRecord(handle, values(), { privateKey: pair.privateKey, signer: outsider });
    expect(await verifyRecord(handle, byOutsider, async () => pair.publicKey)).toMatchObject({ status: 'invalid', reason: expect.stringContaining('is not the prefix handle') });
    // The secondary node's key may sign for the enterprises under it.
    const bySecondary = signRecord(handle, values(), { privateKey: pair.privateKey, signer: { handle: '0.NA/88.100', index: 301 } });
    expect((await verifyRecord(handle, bySecondary, async () => pair.publicKey)).status).toBe('valid');

    const other = sm2GenerateKeyPair();
    const forged = signRecord(handle, values(), { privateKey: other.privateKey, signer });
    expect(await verifyRecord(handle, forged, keyOf)).toMatchObject({ status: 'invalid', reason: expect.stringContaining('does not verify') });
    expect(await verifyRecord(handle, signed, async () => undefined)).toMatchObject({ status: 'unverifiable', reason: 'no SM2 HS_PUBKEY at 300:0.NA/88.100.1' });
    expect(await verifyRecord(handle, values(), keyOf)).toEqual({ status: 'unsigned' });

    for (const data of ['not json', '[]', JSON.stringify({ alg: 'RS256' }), JSON.stringify({ ...JSON.parse(signed.find((v) => v.type === 'HS_SIGNATURE')!.data.toString()), sig: 'zz' })]) {
      const bad = [...values(), handleValue(400, 'HS_SIGNATURE', data)];
      expect((await verifyRecord(handle, bad, keyOf)).status).toBe('invalid');
    }
  });

  it('keeps the index of an earlier signature when re-signing, and never takes an index a value holds', () => {
    const once = signRecord(handle, values(), { privateKey: pair.privateKey, signer });
    const moved = once.map((v) => (v.type === 'HS_SIGNATURE' ? { ...v, index: 7 } : v));
    expect(signRecord(handle, moved, { privateKey: pair.privateKey, signer }).filter((v) => v.type === 'HS_SIGNATURE').map((v) => v.index)).toEqual([7]);
    const crowded = [...values(), handleValue(400, 'URL', 'https://example.com/400')];
    expect(signRecord(handle, crowded, { privateKey: pair.privateKey, signer }).find((v) => v.type === 'HS_SIGNATURE')!.index).toBe(401);
  });
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`per-prefix signing keys, signing on write, verifying on read (${backend.name})`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let keys: SigningKeyStore;
    let records: RecordStore;
    const kek = randomBytes(16);

    beforeAll(async () => {
      opened = await backend.open();
      store = opened.store;
      keys = createSigningKeyStore(store, kek, { cacheMs: 0 });
      records = createRecordStore(store);
    });
    afterAll(async () => opened?.cleanup());

    it('creates, rotates and retires keys; the private half is stored sealed', async () => {
      const first = await keys.create('88.100.1');
      expect(first).toMatchObject({ prefix: '88.100.1', index: 300, signer: '300:0.NA/88.100.1', state: 'active' });
      expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
      const second = await keys.create('88.100.1');
      expect(second.index).toBe(301);
      expect((await keys.list('88.100.1')).map((k) => [k.index, k.state])).toEqual([[301, 'active'], [300, 'retired']]);
      const row = await store.db.selectFrom('id_signing_keys').selectAll().where('key_index', '=', 301).executeTakeFirstOrThrow();
      const signer = await keys.signerFor('88.100.1/x');
      expect(signer?.signer).toEqual({ handle: '0.NA/88.100.1', index: 301 });
      expect(Buffer.from(row.private_sealed, 'base64').includes(signer!.privateKey)).toBe(false);
      // Another key-encryption key cannot open it.
      await expect(createSigningKeyStore(store, randomBytes(16), { cacheMs: 0 }).signerFor('88.100.1/x')).rejects.toThrow();
      // A prefix without its own key uses the nearest prefix above with one; none above: unsigned.
      expect(await keys.signerFor('88.100.1.7/x')).toEqual(signer);
      expect(await keys.signerFor('88.200/x')).toBeUndefined();
      expect(await keys.retire('88.100.1', 301)).toMatchObject({ state: 'retired' });
      expect(await keys.signerFor('88.100.1/x')).toBeUndefined();
    });

    it('signs writes with the active key and a resolution reports the signature valid, or invalid once changed behind its back', async () => {
      const key = await keys.create('88.100.2');
      // The public key published where resolvers look: HS_PUBKEY at 0.NA/88.100.2.
      await records.create('0.NA/88.100.2', [handleValue(key.index, 'HS_PUBKEY', encodePublicKey({ type: 'SM2', point: Buffer.from(key.publicKey, 'hex') }))]);
      const signed = signingRecords(records, keys);
      await signed.create('88.100.2/a', values());
      await signed.update('88.100.2/a', (vs) => [...vs.filter((v) => v.index !== 1), handleValue(1, 'URL', 'https://example.com/p/2')]);
      const stored = decodeValues((await records.get('88.100.2/a'))!);
      expect(stored.filter((v) => v.type === 'HS_SIGNATURE')).toHaveLength(1);

      const verifying = verifyingBackend(localBackend(records));
      const a = await verifying.resolve('88.100.2/a');
      // HS_ADMIN (admin read only) is not answered, so only the public values are checked.
      expect(a.signature).toMatchObject({ status: 'valid', signer: `${key.index}:0.NA/88.100.2`, verified: [1, 2] });
      const filtered = await verifying.resolve('88.100.2/a', { indexes: [], types: ['URL'] });
      expect(filtered.values!.map((v) => v.type)).toEqual(['URL']);
      expect(filtered.signature).toMatchObject({ status: 'valid', verified: [1] });

      // Written around the signing wrapper: the resolver sees the change.
      await records.update('88.100.2/a', (vs) => vs.map((v) => (v.index === 1 ? handleValue(1, 'URL', 'https://evil.example/') : v)));
      expect((await verifying.resolve('88.100.2/a')).signature).toMatchObject({ status: 'invalid', reason: 'value 1 (URL) was changed after signing' });
      // A prefix without a key: written as given, reported unsigned.
      await signed.create('88.200/b', values());
      expect((await verifying.resolve('88.200/b')).signature).toEqual({ status: 'unsigned' });
    });
  });
}

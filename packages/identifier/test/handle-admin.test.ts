import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, createStore, silentLogger, sm2GenerateKeyPair } from '@yulian/core';
import { type IdentifierNode, startIdentifierNode } from '@yulian/identifier';
import {
  type AdminCredential, type AdminRequest, AdminPermission, OpCode, Permission, ResponseCode, answerChallenge, decodeChallenge, decodeErrorBody, decodeValues,
  encodeAdmin, encodeAdminRequest, encodeChallengeAnswer, encodeMessageBody, encodePublicKey, encodeVlist, handleAdmin, handleValue, overUdp, publicKeyFromKeyObject,
  resolveHandle,
} from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const prefixAdminKey = sm2GenerateKeyPair();
const limitedKey = sm2GenerateKeyPair();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const sm2Admin: AdminCredential = { handle: '0.NA/88.100', index: 300, sm2PrivateKey: prefixAdminKey.privateKey };
const rsaAdmin: AdminCredential = { handle: '88.100/admin-rsa', index: 300, rsaPrivateKey: rsa.privateKey };
const secAdmin: AdminCredential = { handle: '88.100/admin-sec', index: 301, secretKey: 'correct horse battery' };
const limited: AdminCredential = { handle: '88.100/limited', index: 300, sm2PrivateKey: limitedKey.privateKey };
const serverAdmin: AdminCredential = { handle: '88.100/server-admin', index: 300, secretKey: 'root secret', secretKeyHash: 0x13 };
const adminOnly = { permissions: Permission.ADMIN_READ | Permission.ADMIN_WRITE };

describe('administration over the Handle protocol, by challenge-response', () => {
  let dir: string;
  let store: Store;
  let node: IdentifierNode;
  let skewMs = 0;
  const target = () => ({ host: '127.0.0.1', port: node.port });
  const urlOf = async (handle: string) => {
    const r = await resolveHandle(target(), handle, {}, { transport: 'tcp' });
    return 'values' in r ? r.values.filter((v) => v.type !== 'HS_ADMIN').map((v) => `${v.index}:${v.type}=${v.data.toString()}`) : r.rc;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-handle-admin-'));
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    node = await startIdentifierNode({
      role: 'secondary', prefix: '88.100', store, logger: silentLogger(), host: '127.0.0.1', port: 0,
      delegations: [{ prefix: '88.100.9', target: { host: '127.0.0.1', port: 9 } }],
      admins: [{ handle: '88.100/server-admin', index: 300 }],
      administration: { challenges: { lifetimeMs: 5_000, now: () => Date.now() + skewMs } },
    });
    const records = node.records!;
    // The prefix admin's SM2 key where the prefix handle's HS_ADMIN (index 100) points, and a group
    // (index 200: where default HS_ADMIN values of new handles point) holding every admin but `limited`.
    await records.update('0.NA/88.100', (vs) => [
      ...vs,
      handleValue(300, 'HS_PUBKEY', encodePublicKey({ type: 'SM2', point: prefixAdminKey.publicKey })),
      handleValue(200, 'HS_VLIST', encodeVlist([{ handle: '0.NA/88.100', index: 300 }, { handle: '88.100/admin-rsa', index: 300 }, { handle: '88.100/admin-sec', index: 301 }])),
      handleValue(101, 'HS_ADMIN', encodeAdmin({ permissions: AdminPermission.ADD_HANDLE | AdminPermission.LIST_HANDLES, handle: '0.NA/88.100', index: 200 })),
    ]);
    await records.create('88.100/admin-rsa', [handleValue(300, 'HS_PUBKEY', encodePublicKey(publicKeyFromKeyObject(rsa.publicKey)))]);
    await records.create('88.100/admin-sec', [handleValue(301, 'HS_SECKEY', 'correct horse battery', adminOnly)]);
    await records.create('88.100/server-admin', [handleValue(300, 'HS_SECKEY', 'root secret', adminOnly)]);
    await records.create('88.100/limited', [handleValue(300, 'HS_PUBKEY', encodePublicKey({ type: 'SM2', point: limitedKey.publicKey }))]);
    await records.create('88.100/limited-target', [
      handleValue(1, 'URL', 'https://example.com/t'),
      handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: AdminPermission.ADD_VALUE, handle: '88.100/limited', index: 300 })),
    ]);
  });
  afterAll(async () => {
    await node?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, auth] of [['SM2', sm2Admin], ['RSA', rsaAdmin], ['HS_SECKEY', secAdmin]] as const) {
    it(`lets an ${name} admin create a handle, add, modify and remove values, list and delete`, async () => {
      const handle = `88.100/made-by-${name.toLowerCase()}`;
      const run = (request: AdminRequest, transport: 'udp' | 'tcp' = 'tcp') => handleAdmin(target(), request, { auth, transport });
      expect(await run({ op: 'create', handle, values: [handleValue(1, 'URL', 'https://example.com/1')] })).toMatchObject({ rc: ResponseCode.SUCCESS });
      expect(await urlOf(handle)).toEqual(['1:URL=https://example.com/1']);
      // Created without an HS_ADMIN: it got the default one (the prefix handle's group at index 200).
      const stored = decodeValues((await node.records!.get(handle))!);
      expect(stored.map((v) => `${v.index}:${v.type}`)).toEqual(['1:URL', '100:HS_ADMIN']);
      expect(await run({ op: 'add', handle, values: [handleValue(2, 'EMAIL', 'qa@example.com')] }, 'udp')).toMatchObject({ rc: ResponseCode.SUCCESS, via: 'udp' });
      expect(await run({ op: 'modify', handle, values: [handleValue(1, 'URL', 'https://example.com/2')] })).toMatchObject({ rc: ResponseCode.SUCCESS });
      expect(await run({ op: 'remove', handle, indexes: [2] })).toMatchObject({ rc: ResponseCode.SUCCESS });
      expect(await urlOf(handle)).toEqual(['1:URL=https://example.com/2']);
      const listed = await run({ op: 'list', handle: '0.NA/88.100' });
      expect(listed.rc).toBe(ResponseCode.SUCCESS);
      expect(listed.handles).toContain(handle);
      expect(await run({ op: 'delete', handle })).toMatchObject({ rc: ResponseCode.SUCCESS });
      expect(await urlOf(handle)).toBe(ResponseCode.HANDLE_NOT_FOUND);
    });
  }

  it('answers the usual codes for values and handles that exist or do not', async () => {
    const handle = '88.100/codes';
    const run = (request: AdminRequest, overwrite = false) => handleAdmin(target(), request, { auth: sm2Admin, overwrite });
    expect((await run({ op: 'create', handle, values: [handleValue(1, 'URL', 'a')] })).rc).toBe(ResponseCode.SUCCESS);
    expect((await run({ op: 'create', handle, values: [handleValue(1, 'URL', 'a')] })).rc).toBe(ResponseCode.HANDLE_ALREADY_EXISTS);
    expect((await run({ op: 'add', handle, values: [handleValue(1, 'URL', 'b')] })).rc).toBe(ResponseCode.VALUE_ALREADY_EXISTS);
    expect((await run({ op: 'add', handle, values: [handleValue(1, 'URL', 'b')] }, true)).rc).toBe(ResponseCode.SUCCESS);
    expect((await run({ op: 'modify', handle, values: [handleValue(9, 'URL', 'c')] })).rc).toBe(ResponseCode.VALUES_NOT_FOUND);
    expect((await run({ op: 'remove', handle, indexes: [9] })).rc).toBe(ResponseCode.VALUES_NOT_FOUND);
    expect((await run({ op: 'delete', handle: '88.100/never' })).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    expect(await urlOf(handle)).toEqual(['1:URL=b']);
  });

  it('lists a prefix in several messages, each but the last flagged to continue', async () => {
    for (let i = 0; i < 150; i++) await node.records!.create(`88.100/bulk-${String(i).padStart(3, '0')}`, [handleValue(1, 'URL', `u${i}`)]);
    const listed = await handleAdmin(target(), { op: 'list', handle: '88.100' }, { auth: secAdmin });
    expect(listed.rc).toBe(ResponseCode.SUCCESS);
    expect(listed.handles).toHaveLength(await node.records!.count('88.100'));
    expect(listed.handles!.filter((h) => h.startsWith('88.100/bulk-'))).toHaveLength(150);
  });

  it('refuses a signature made with another key, and a key index that holds no key', async () => {
    const impostor: AdminCredential = { ...sm2Admin, sm2PrivateKey: sm2GenerateKeyPair().privateKey };
    const wrong = await handleAdmin(target(), { op: 'create', handle: '88.100/impostor', values: [] }, { auth: impostor });
    expect(wrong.rc).toBe(ResponseCode.AUTHENTICATION_FAILED);
    const wrongSecret = await handleAdmin(target(), { op: 'create', handle: '88.100/impostor', values: [] }, { auth: { ...secAdmin, secretKey: 'guess' } });
    expect(wrongSecret.rc).toBe(ResponseCode.AUTHENTICATION_FAILED);
    const noKey = await handleAdmin(target(), { op: 'create', handle: '88.100/impostor', values: [] }, { auth: { ...sm2Admin, index: 1 } });
    expect(noKey.rc).toBe(ResponseCode.INVALID_CREDENTIAL);
    const pubkeyAsSecret = await handleAdmin(target(), { op: 'create', handle: '88.100/impostor', values: [] }, { auth: { handle: '0.NA/88.100', index: 300, secretKey: 'x' } });
    expect(pubkeyAsSecret.rc).toBe(ResponseCode.UNABLE_TO_AUTHENTICATE);
    expect(await urlOf('88.100/impostor')).toBe(ResponseCode.HANDLE_NOT_FOUND);
  });

  it('enforces HS_ADMIN: the permission bit it needs, and admins not named at all', async () => {
    const run = (request: AdminRequest) => handleAdmin(target(), request, { auth: limited });
    expect((await run({ op: 'add', handle: '88.100/limited-target', values: [handleValue(2, 'EMAIL', 'x@example.com')] })).rc).toBe(ResponseCode.SUCCESS);
    const del = await run({ op: 'delete', handle: '88.100/limited-target' });
    expect(del).toMatchObject({ rc: ResponseCode.INSUFFICIENT_PERMISSIONS });
    expect(del.message).toContain('DELETE_HANDLE');
    expect((await run({ op: 'modify', handle: '88.100/limited-target', values: [handleValue(1, 'URL', 'evil')] })).rc).toBe(ResponseCode.INSUFFICIENT_PERMISSIONS);
    expect((await run({ op: 'add', handle: '88.100/limited-target', values: [handleValue(101, 'HS_ADMIN', encodeAdmin({ permissions: 0xfff, handle: '88.100/limited', index: 300 }))] })).rc).toBe(ResponseCode.INSUFFICIENT_PERMISSIONS);
    expect((await run({ op: 'create', handle: '88.100/by-limited', values: [] })).rc).toBe(ResponseCode.INVALID_ADMIN);
    expect(await urlOf('88.100/limited-target')).toEqual(['1:URL=https://example.com/t', '2:EMAIL=x@example.com']);
  });

  it("lets the node's configured administrators do everything within its prefix", async () => {
    const run = (request: AdminRequest) => handleAdmin(target(), request, { auth: serverAdmin });
    expect((await run({ op: 'delete', handle: '88.100/limited-target' })).rc).toBe(ResponseCode.SUCCESS);
    expect((await run({ op: 'create', handle: '88.100.7/deep', values: [handleValue(1, 'URL', 'd')] })).rc).toBe(ResponseCode.SUCCESS);
    expect(await urlOf('88.100.7/deep')).toEqual(['1:URL=d']);
  });

  it("refuses what the node does not hold or its configuration owns, even to its administrators", async () => {
    const run = (request: AdminRequest) => handleAdmin(target(), request, { auth: serverAdmin });
    expect((await run({ op: 'create', handle: '88.200/x', values: [] })).rc).toBe(ResponseCode.SERVER_NOT_RESP);
    expect((await run({ op: 'create', handle: '88.100.9/x', values: [] })).rc).toBe(ResponseCode.SERVER_NOT_RESP);
    expect((await run({ op: 'create', handle: '0.NA/88.100.5', values: [] })).rc).toBe(ResponseCode.INSUFFICIENT_PERMISSIONS);
    expect((await run({ op: 'remove', handle: '0.NA/88.100', indexes: [1] })).rc).toBe(ResponseCode.INSUFFICIENT_PERMISSIONS);
    expect((await run({ op: 'create', handle: '88.100/bad\u0000', values: [] })).rc).toBe(ResponseCode.INVALID_HANDLE);
    // The prefix handle still says where the prefix is served.
    const site = await resolveHandle(target(), '0.NA/88.100', { types: ['HS_SITE'] });
    expect(site.rc).toBe(ResponseCode.SUCCESS);
  });

  /** Request, challenge, answer by hand over UDP (one request id), with a hook before the answer. */
  async function byHand(request: AdminRequest, auth: AdminCredential, beforeAnswer: () => void = () => undefined) {
    const header = (opCode: number) => ({ opCode, responseCode: 0, opFlag: 0, siteInfoSerial: -1, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 60 });
    const { opCode, body } = encodeAdminRequest(request);
    const requestId = randomInt(1, 2 ** 31);
    const first = await overUdp(target(), requestId, encodeMessageBody(header(opCode), body), 2_000);
    expect(first.header.responseCode).toBe(ResponseCode.AUTHENTICATION_NEEDED);
    const challenge = decodeChallenge(first.body);
    expect(challenge.nonce).toHaveLength(16);
    beforeAnswer();
    const answer = encodeMessageBody(header(OpCode.CHALLENGE_RESPONSE), encodeChallengeAnswer(answerChallenge(auth, challenge)));
    const second = await overUdp(target(), requestId, answer, 2_000);
    return { requestId, answer, second, send: (m: Buffer, id = requestId) => overUdp(target(), id, m, 2_000) };
  }

  it('refuses a replayed answer and an expired challenge', async () => {
    const first = await byHand({ op: 'create', handle: '88.100/replay', values: [handleValue(1, 'URL', 'r')] }, sm2Admin);
    expect(first.second.header.responseCode).toBe(ResponseCode.SUCCESS);
    expect(first.second.header.opCode).toBe(OpCode.CREATE_HANDLE);
    // The same answer again, on the same request id: the challenge was used.
    const again = await first.send(first.answer);
    expect(again.header.responseCode).toBe(ResponseCode.AUTHEN_TIMEOUT);
    // The recorded answer to another request's challenge: it signed another nonce.
    const { opCode, body } = encodeAdminRequest({ op: 'delete', handle: '88.100/replay' });
    const otherId = randomInt(1, 2 ** 31);
    const h = { responseCode: 0, opFlag: 0, siteInfoSerial: -1, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 60 };
    expect((await first.send(encodeMessageBody({ ...h, opCode }, body), otherId)).header.responseCode).toBe(ResponseCode.AUTHENTICATION_NEEDED);
    expect((await first.send(first.answer, otherId)).header.responseCode).toBe(ResponseCode.AUTHENTICATION_FAILED);
    // Answered after the challenge's lifetime.
    const late = await byHand({ op: 'delete', handle: '88.100/replay' }, sm2Admin, () => (skewMs = 60_000));
    skewMs = 0;
    expect(late.second.header.responseCode).toBe(ResponseCode.AUTHEN_TIMEOUT);
    expect(await urlOf('88.100/replay')).toEqual(['1:URL=r']);
  });

  it('answers garbage challenge answers and requests RC 4, counts them, and keeps resolving', async () => {
    const before = node.service.stats().admin!;
    const garbage = await byHand({ op: 'delete', handle: '88.100/replay' }, sm2Admin, () => undefined);
    expect(garbage.second.header.responseCode).toBe(ResponseCode.SUCCESS);
    const h = { opCode: OpCode.CHALLENGE_RESPONSE, responseCode: 0, opFlag: 0, siteInfoSerial: -1, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 60 };
    for (const junk of [Buffer.alloc(0), Buffer.from('ffffffff', 'hex'), Buffer.from('00000009485f5055424b4559', 'hex'), Buffer.alloc(40, 0x41)]) {
      const m = await garbage.send(encodeMessageBody(h, junk), randomInt(1, 2 ** 31));
      expect(m.header.responseCode).toBe(ResponseCode.PROTOCOL_ERROR);
      expect(decodeErrorBody(m.body, m.header.opFlag)).not.toBe('');
    }
    const pendingThenJunk = await garbage.send(encodeMessageBody({ ...h, opCode: OpCode.DELETE_HANDLE }, Buffer.from('0000ffff', 'hex')));
    expect(pendingThenJunk.header.responseCode).toBe(ResponseCode.PROTOCOL_ERROR);
    const after = node.service.stats().admin!;
    expect(after.errors - before.errors).toBe(5);
    expect(after.changes - before.changes).toBe(1);
    expect(await urlOf('88.100/admin-rsa')).toHaveLength(1);
    expect((await resolveHandle(target(), '88.100/admin-rsa', {}, { transport: 'udp' })).rc).toBe(ResponseCode.SUCCESS);
  });
});

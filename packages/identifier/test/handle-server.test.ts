import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, createStore, silentLogger } from '@yulian/core';
import { type HandleServer, type RecordStore, createHandleService, createRecordStore, startHandleServer } from '@yulian/identifier';
import { OpCode, Permission, ResponseCode, type SiteInfo, decodeSite, handleRequest, handleValue, resolveHandle } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const site: SiteInfo = {
  version: 1, protocolMajor: 2, protocolMinor: 10, serial: 7, flags: 0x80, hashOption: 0, hashFilter: Buffer.alloc(0), attributes: [{ name: 'desc', value: 'test node' }],
  servers: [{ id: 1, address: '127.0.0.1', publicKey: Buffer.alloc(0), interfaces: [{ type: 3, protocol: 0, port: 2641 }, { type: 3, protocol: 1, port: 2641 }] }],
};

describe('Handle protocol node over UDP and TCP', () => {
  let dir: string;
  let store: Store;
  let records: RecordStore;
  let server: HandleServer;
  let strict: HandleServer;
  const target = () => ({ host: '127.0.0.1', port: server.port });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-handle-'));
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    records = createRecordStore(store);
    await records.create('88.100.1/ABC-001', [
      handleValue(1, 'URL', 'https://example.com/abc-001', { timestamp: 1_700_000_000 }),
      handleValue(2, 'EMAIL', 'qa@example.com', { timestamp: 1_700_000_000 }),
      handleValue(3, 'URL.mobile', 'https://m.example.com/abc-001', { timestamp: 1_700_000_000 }),
      handleValue(300, 'HS_SECKEY', 'not for the public', { timestamp: 1_700_000_000, permissions: Permission.ADMIN_READ | Permission.ADMIN_WRITE }),
    ]);
    await records.create('88.100.1/big', Array.from({ length: 40 }, (_, i) => handleValue(i + 1, 'DESC', `line ${i} `.repeat(8), { timestamp: 1 })));
    const service = createHandleService({ lookup: (h) => records.getSync!(h), site });
    server = await startHandleServer({ service, logger: silentLogger(), host: '127.0.0.1', port: 0 });
    strict = await startHandleServer({ service, logger: silentLogger(), host: '127.0.0.1', port: 0, trusted: () => false, rate: { perSecond: 5, burst: 5 } });
  });
  afterAll(async () => {
    await server?.close();
    await strict?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves over UDP and TCP, whatever the case of the prefix, showing public values only', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const r = await resolveHandle(target(), '88.100.1/ABC-001', {}, { transport });
      expect(r.rc).toBe(ResponseCode.SUCCESS);
      if (r.rc !== ResponseCode.SUCCESS || !('values' in r)) throw new Error('no values');
      expect(r.via).toBe(transport);
      expect(r.values.map((v) => [v.index, v.type, v.data.toString()])).toEqual([
        [1, 'URL', 'https://example.com/abc-001'],
        [2, 'EMAIL', 'qa@example.com'],
        [3, 'URL.mobile', 'https://m.example.com/abc-001'],
      ]);
    }
    expect((await resolveHandle(target(), '88.100.1/abc-001')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    const lower = await resolveHandle(target(), '88.100.1/ABC-001'.replace('88.100.1', '88.100.1'.toLowerCase()));
    expect(lower.rc).toBe(ResponseCode.SUCCESS);
  });

  it('listens on IPv6 and IPv4 at once when bound to ::, over UDP and TCP', async () => {
    const dual = await startHandleServer({ service: createHandleService({ lookup: (h) => records.getSync!(h), site }), logger: silentLogger(), host: '::', port: 0 });
    try {
      for (const host of ['::1', '127.0.0.1']) {
        for (const transport of ['udp', 'tcp'] as const) {
          const r = await resolveHandle({ host, port: dual.port }, '88.100.1/ABC-001', { types: ['EMAIL'] }, { transport });
          expect(r.rc, `${host} over ${transport}`).toBe(ResponseCode.SUCCESS);
          expect('values' in r && r.values.map((v) => v.data.toString())).toEqual(['qa@example.com']);
        }
      }
    } finally {
      await dual.close();
    }
  });

  it('filters by type (with sub-types) and index, and says when nothing matches', async () => {
    const byType = await resolveHandle(target(), '88.100.1/ABC-001', { types: ['URL'] });
    expect('values' in byType && byType.values.map((v) => v.index)).toEqual([1, 3]);
    const byIndex = await resolveHandle(target(), '88.100.1/ABC-001', { indexes: [2] });
    expect('values' in byIndex && byIndex.values.map((v) => v.type)).toEqual(['EMAIL']);
    expect((await resolveHandle(target(), '88.100.1/ABC-001', { indexes: [300] })).rc).toBe(ResponseCode.VALUES_NOT_FOUND);
    expect((await resolveHandle(target(), '88.100.1/ABC-001', { types: ['HS_SECKEY'] })).rc).toBe(ResponseCode.VALUES_NOT_FOUND);
  });

  it('answers an invalid identifier RC 102 naming the problem, and site info with this node’s HS_SITE', async () => {
    const bad = await resolveHandle(target(), '88..1/x');
    expect(bad.rc).toBe(ResponseCode.INVALID_HANDLE);
    expect('message' in bad && bad.message).toContain('ID_PREFIX_SEGMENT_EMPTY');
    const info = await handleRequest(target(), OpCode.GET_SITE_INFO, Buffer.alloc(0));
    expect(decodeSite(info.body)).toEqual(site);
    expect((await handleRequest(target(), OpCode.CREATE_HANDLE, Buffer.alloc(8))).header.responseCode).toBe(ResponseCode.OPERATION_NOT_SUPPORTED);
  });

  it('sends a long answer in several UDP packets to a trusted source, and truncates it for an unverified one so it asks over TCP', async () => {
    const big = await resolveHandle(target(), '88.100.1/big', {}, { transport: 'udp' });
    expect(big.via).toBe('udp');
    expect('values' in big && big.values.length).toBe(40);
    const cut = await resolveHandle({ host: '127.0.0.1', port: strict.port }, '88.100.1/big', {}, { transport: 'udp' });
    expect(cut.via).toBe('tcp');
    expect('values' in cut && cut.values.length).toBe(40);
    expect(strict.stats().truncated).toBe(1);
  });

  it('answers malformed packets RC 4 when their request id can be read, drops the rest, and keeps serving', async () => {
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    const send = (b: Buffer) => new Promise<void>((resolve) => socket.send(b, server.port, '127.0.0.1', () => resolve()));
    await send(Buffer.from([1, 2, 3]));
    const wrongVersion = Buffer.alloc(60);
    wrongVersion[0] = 9;
    wrongVersion.writeUInt32BE(42, 8);
    await send(wrongVersion);
    const lying = Buffer.alloc(60);
    lying[0] = 2;
    lying.writeUInt32BE(43, 8);
    lying.writeUInt32BE(40, 16);
    lying.writeUInt32BE(0xffffff, 20 + 20);
    await send(lying);
    await new Promise((r) => setTimeout(r, 200));
    socket.close();
    expect(replies.map((r) => [r.readUInt32BE(8), r.readUInt32BE(20 + 4)]).sort()).toEqual([[42, ResponseCode.PROTOCOL_ERROR], [43, ResponseCode.PROTOCOL_ERROR]]);
    expect(server.stats().malformed).toBe(3);
    expect((await resolveHandle(target(), '88.100.1/ABC-001')).rc).toBe(ResponseCode.SUCCESS);
  });

  it('drops UDP requests of a source over its rate, without answering them', async () => {
    const strictTarget = { host: '127.0.0.1', port: strict.port };
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => resolveHandle(strictTarget, '88.100.1/ABC-001', {}, { timeoutMs: 300 })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(6);
    expect(strict.stats().rateLimited).toBeGreaterThanOrEqual(6);
  });
});

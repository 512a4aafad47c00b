import { type Store, storeBackends } from '@yulian/core';
import { type RecordStore, HandleError, createRecordStore, parseIdentifier } from '@yulian/identifier';
import { ResponseCode, decodeValues, encodeValues, handleValue } from '@yulian/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const url = (i: number, v: string) => handleValue(i, 'URL', v, { timestamp: 1_700_000_000 });
const rcOf = async (p: Promise<unknown>): Promise<number | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof HandleError ? e.rc : -1),
  );

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`identifier records on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let records: RecordStore;

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
      records = createRecordStore(store);
    });
    afterEach(async () => cleanup());

    it('creates, reads, changes and deletes a record, its values kept as the wire encodes them', async () => {
      const handle = parseIdentifier('88.100.1/ABC-001').handle;
      await records.create(handle, [url(1, 'https://example.com/1')]);
      expect(await rcOf(records.create(handle, [url(1, 'x')]))).toBe(ResponseCode.HANDLE_ALREADY_EXISTS);
      expect((await records.get(handle))!.equals(encodeValues([url(1, 'https://example.com/1')]))).toBe(true);
      expect(await records.get('88.100.1/abc-001')).toBeUndefined();
      const next = await records.update(handle, (vs) => [...vs, handleValue(2, 'EMAIL', 'qa@example.com', { timestamp: 1 })]);
      expect(next.map((v) => v.type)).toEqual(['URL', 'EMAIL']);
      expect(decodeValues((await records.get(handle))!).map((v) => v.index)).toEqual([1, 2]);
      expect(await rcOf(records.update('88.100.1/none', (vs) => vs))).toBe(ResponseCode.HANDLE_NOT_FOUND);
      expect(await records.put(handle, [url(1, 'https://example.com/2')])).toBe(true);
      expect(await records.put('88.100.1/new', [url(1, 'https://example.com/3')])).toBe(false);
      expect(await records.delete(handle)).toBe(true);
      expect(await records.delete(handle)).toBe(false);
      expect(await records.get(handle)).toBeUndefined();
    });

    it('answers a synchronous lookup with a write made a moment before, even in the same event-loop turn', async () => {
      if (!records.getSync) return;
      const getSync = records.getSync;
      expect(getSync('88.100.1/turn')).toBeUndefined();
      await records.create('88.100.1/turn', [handleValue(1, 'URL', 'https://example.com/1')]);
      expect(decodeValues(getSync('88.100.1/turn')!)[0]!.data.toString()).toBe('https://example.com/1');
      await records.update('88.100.1/turn', () => [handleValue(1, 'URL', 'https://example.com/2')]);
      expect(decodeValues(getSync('88.100.1/turn')!)[0]!.data.toString()).toBe('https://example.com/2');
      await records.delete('88.100.1/turn');
      expect(getSync('88.100.1/turn')).toBeUndefined();
    });

    it('lists a prefix as a key range in byte order, page by page, and never a neighbouring prefix', async () => {
      const handles = ['88.100.1/a', '88.100.1/b/c', '88.100.1/Z', '88.100.1/轴承', '88.100.10/a', '88.100/x', '88.100.1.5/y'];
      const { inserted, existing } = await records.insertMany([...handles, '88.100.1/a'].map((h) => [h, encodeValues([url(1, h)])] as const));
      expect({ inserted, existing }).toEqual({ inserted: 7, existing: ['88.100.1/a'] });
      expect(await records.list('88.100.1')).toEqual(['88.100.1/Z', '88.100.1/a', '88.100.1/b/c', '88.100.1/轴承']);
      expect(await records.list('88.100.1', { limit: 2 })).toEqual(['88.100.1/Z', '88.100.1/a']);
      expect(await records.list('88.100.1', { after: '88.100.1/a', limit: 2 })).toEqual(['88.100.1/b/c', '88.100.1/轴承']);
      expect(await records.count('88.100.1')).toBe(4);
      expect(await records.count()).toBe(7);
      if (records.getSync) expect(records.getSync('88.100.10/a')).toBeDefined();
    });
  });
}

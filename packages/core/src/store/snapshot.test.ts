import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, createStore } from './create-store.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SQLite snapshot reader (one read transaction per event-loop turn)', () => {
  let dir: string;
  let store: Store;
  const count = (): number => {
    if (store.native.kind !== 'sqlite' || !store.native.snapshot) throw new Error('no snapshot reader');
    return store.native.snapshot.read((r) => r.prepare<[], number>('SELECT count(*) FROM settings').pluck().get()!);
  };
  const write = (key: string): void => {
    if (store.native.kind !== 'sqlite') throw new Error('sqlite only');
    store.native.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(key, 'x');
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-snapshot-'));
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sees the database as of the turn’s first read, the next turn or an invalidation sees later writes', async () => {
    await nextTurn();
    const before = count();
    write('a');
    // Same turn, same read transaction: the write does not show yet.
    expect(count()).toBe(before);
    await nextTurn();
    expect(count()).toBe(before + 1);
    write('b');
    if (store.native.kind === 'sqlite') store.native.snapshot!.invalidate();
    expect(count()).toBe(before + 2);
  });

  it('has no snapshot reader for an in-memory database, and refuses reads once the store is closed', async () => {
    const memory = await createStore({ url: 'sqlite', dataDir: dir, sqliteFile: ':memory:' });
    expect(memory.native.kind === 'sqlite' && memory.native.snapshot).toBeUndefined();
    await memory.close();
    const other = await createStore({ url: 'sqlite', dataDir: join(dir, 'other') });
    await other.migrate();
    if (other.native.kind !== 'sqlite') throw new Error('sqlite only');
    const reader = other.native.snapshot!;
    expect(reader.read((r) => r.prepare('SELECT 1 AS one').get())).toEqual({ one: 1 });
    await other.close();
    expect(() => reader.read((r) => r.prepare('SELECT 1').get())).toThrow(/closed/);
  });
});

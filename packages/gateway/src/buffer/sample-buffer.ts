import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Sample } from '@yulian/contracts';
import type { Logger } from '@yulian/core';

/** What the buffer holds and has done, for the gateway's status. */
export interface SampleBufferStats {
  /** Batches waiting to be sent. */
  batches: number;
  /** Samples waiting to be sent. */
  samples: number;
  /** Bytes of the waiting batches (payload size, not file size). */
  bytes: number;
  maxBytes: number;
  appended: number;
  acked: number;
  /** Samples dropped by the drop-oldest overflow policy since the buffer was created (kept across restarts). */
  dropped: number;
}

/** A batch read from the buffer: its sequence number (for `ack`) and its samples, oldest first. */
export interface BufferedBatch {
  seq: number;
  samples: Sample[];
}

/**
 * The gateway's store-and-forward buffer: samples wait here, on disk and in order, until the uplink
 * has delivered them. Bounded in bytes; when full, the oldest batches are dropped (counted, logged).
 */
export interface SampleBuffer {
  /** Stores a batch durably; returns its sequence number. */
  append(samples: readonly Sample[]): number;
  /** The oldest `limit` batches not yet acknowledged, oldest first; reading does not remove them. */
  peek(limit?: number): BufferedBatch[];
  /** Removes every batch up to and including `seq`, once the uplink has delivered them. */
  ack(seq: number): void;
  stats(): SampleBufferStats;
  close(): void;
}

/**
 * Opens (or reopens, after a restart) the buffer file. SQLite in WAL mode: a batch is on disk once
 * `append` returns, so a gateway that crashes or restarts loses nothing it accepted.
 * @example const buffer = openSampleBuffer({ path: 'data/gateway/buffer.db', maxBytes: 256 * 2 ** 20 })
 */
export function openSampleBuffer(options: { path: string; maxBytes: number; logger?: Logger }): SampleBuffer {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new SqliteDatabase(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS batches (seq INTEGER PRIMARY KEY AUTOINCREMENT, samples INTEGER NOT NULL, bytes INTEGER NOT NULL, payload TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO counters VALUES ('appended', 0), ('acked', 0), ('dropped', 0);
  `);
  // Sequence numbers are the platform's idempotency keys (gateway:seq). A new buffer file starts them at
  // its creation time in ms, so a gateway whose buffer was deleted or replaced never reuses the numbers
  // of the earlier file (which made at most one batch per ms) — reused ones would be dropped as duplicates.
  db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'batches', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'batches')").run(Date.now());
  const insert = db.prepare('INSERT INTO batches (samples, bytes, payload) VALUES (?, ?, ?)');
  const oldest = db.prepare('SELECT seq, samples, bytes FROM batches ORDER BY seq LIMIT 1');
  const deleteOne = db.prepare('DELETE FROM batches WHERE seq = ?');
  const peekStmt = db.prepare('SELECT seq, payload FROM batches ORDER BY seq LIMIT ?');
  const ackStmt = db.prepare('DELETE FROM batches WHERE seq <= ?');
  const totals = db.prepare('SELECT count(*) AS batches, coalesce(sum(samples), 0) AS samples, coalesce(sum(bytes), 0) AS bytes FROM batches');
  const bump = db.prepare('UPDATE counters SET value = value + ? WHERE name = ?');
  const counters = db.prepare('SELECT name, value FROM counters');
  // Running totals, read once at open and kept in step, so append never scans the table.
  let { batches, samples, bytes } = totals.get() as { batches: number; samples: number; bytes: number };

  const append = db.transaction((payload: string, count: number): number => {
    const size = Buffer.byteLength(payload);
    let droppedNow = 0;
    while (batches > 0 && bytes + size > options.maxBytes) {
      const row = oldest.get() as { seq: number; samples: number; bytes: number };
      deleteOne.run(row.seq);
      batches--;
      samples -= row.samples;
      bytes -= row.bytes;
      droppedNow += row.samples;
    }
    if (droppedNow) bump.run(droppedNow, 'dropped');
    const seq = Number(insert.run(count, size, payload).lastInsertRowid);
    bump.run(count, 'appended');
    batches++;
    samples += count;
    bytes += size;
    if (droppedNow) options.logger?.warn({ dropped: droppedNow, maxBytes: options.maxBytes }, 'buffer full: oldest samples dropped');
    return seq;
  });

  const ack = db.transaction((seq: number): void => {
    const before = samples;
    ackStmt.run(seq);
    ({ batches, samples, bytes } = totals.get() as { batches: number; samples: number; bytes: number });
    bump.run(before - samples, 'acked');
  });

  return {
    append: (list) => (list.length === 0 ? 0 : append(JSON.stringify(list), list.length)),
    peek(limit = 100) {
      return (peekStmt.all(limit) as Array<{ seq: number; payload: string }>).map((r) => ({ seq: r.seq, samples: JSON.parse(r.payload) as Sample[] }));
    },
    ack: (seq) => ack(seq),
    stats() {
      const c = Object.fromEntries((counters.all() as Array<{ name: string; value: number }>).map((r) => [r.name, r.value]));
      return { batches, samples, bytes, maxBytes: options.maxBytes, appended: c['appended'] ?? 0, acked: c['acked'] ?? 0, dropped: c['dropped'] ?? 0 };
    },
    close() {
      if (db.open) db.close();
    },
  };
}

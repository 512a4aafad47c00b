import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { YulianError } from '@yulian/core';

/** The largest bulk registration file taken (about 7 million product rows). */
export const bulkUploadMaxBytes = 512 * 1024 * 1024;

/**
 * Streams a request body to `<dataDir>/identifier/uploads/<uuid>.<ext>` (never whole in memory); a body
 * over `maxBytes` is cut off, its partial file removed.
 * @throws YulianError PAYLOAD_TOO_LARGE
 */
export async function saveUpload(body: NodeJS.ReadableStream, options: { dataDir: string; ext: string; maxBytes: number }): Promise<string> {
  const dir = join(options.dataDir, 'identifier', 'uploads');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${randomUUID()}.${options.ext}`);
  const part = `${file}.part`;
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) done(new YulianError('PAYLOAD_TOO_LARGE', `The file is larger than ${options.maxBytes / 1024 / 1024} MiB; split it into several jobs.`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(part));
    await rename(part, file);
    return file;
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
}

import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { YulianError } from '../errors/index.js';

/** Where the master key comes from: the configuration (`masterKey`, YULIAN_MASTER_KEY) or the data directory. */
export interface MasterKeyOptions {
  /** 32 hex digits; when set, no file is read or written. */
  masterKey?: string | undefined;
  dataDir: string;
}

/** The loaded master key and where it came from. */
export interface MasterKey {
  /** 16 bytes (SM4-128). */
  key: Buffer;
  source: 'config' | 'file' | 'generated';
  /** The key file, for `file` and `generated`. */
  path?: string;
  /** Set when the key file can be read by other users than its owner (mode not 0600): log it. */
  warning?: string;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;
/** The master key file's name inside the data directory. */
export const MASTER_KEY_FILE = 'master.key';

function readKeyFile(path: string): MasterKey {
  const text = readFileSync(path, 'utf8').trim();
  if (!HEX32.test(text)) {
    throw new YulianError('DATA_KEY_UNAVAILABLE', `The master key file ${path} does not hold 32 hex digits; restore it from the backup or set YULIAN_MASTER_KEY.`);
  }
  const mode = statSync(path).mode & 0o777;
  const warning = mode & 0o077 ? `The master key file ${path} has mode ${mode.toString(8).padStart(4, '0')}; make it 0600 (chmod 600).` : undefined;
  return { key: Buffer.from(text, 'hex'), source: 'file', path, ...(warning ? { warning } : {}) };
}

/**
 * The master key that seals the keyring's data keys: `masterKey` when given, else `<dataDir>/master.key`,
 * generated there once (mode 0600) when missing. Two processes generating at once end with the same key:
 * the file appears whole (written aside, then hard-linked into place) and the second reads the first's.
 * Several hosts sharing one PostgreSQL must be given the same key (YULIAN_MASTER_KEY).
 * @example const { key } = loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir })
 */
export function loadMasterKey(options: MasterKeyOptions): MasterKey {
  if (options.masterKey !== undefined) {
    if (!HEX32.test(options.masterKey)) throw new YulianError('CONFIG_INVALID', 'YULIAN_MASTER_KEY must be 32 hex digits (an SM4 key), e.g. from `openssl rand -hex 16`.');
    return { key: Buffer.from(options.masterKey, 'hex'), source: 'config' };
  }
  const dir = resolve(options.dataDir);
  const path = join(dir, MASTER_KEY_FILE);
  try {
    return readKeyFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(16);
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(aside, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(aside, 0o600);
  try {
    linkSync(aside, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another process made it first: use its key.
    return readKeyFile(path);
  } finally {
    unlinkSync(aside);
  }
  return { key, source: 'generated', path };
}

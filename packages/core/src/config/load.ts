import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ZodError } from 'zod';
import { type Config, configSchema } from './schema.js';
import { configSources } from './sources.js';

/** One reason a configuration is invalid: the key, the value given and the form expected. */
export interface ConfigIssue {
  key: string;
  value: unknown;
  expected: string;
  source: string;
}

/** Thrown by `loadConfig` when a value is invalid; the CLI prints `message` and exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      issues
        .map((i) => `invalid configuration: ${i.key} = ${JSON.stringify(i.value)} (from ${i.source}); expected ${i.expected}`)
        .join('\n'),
    );
  }
}

/** What `loadConfig` reads; every field is optional. */
export interface LoadConfigOptions {
  /** Path of a JSON config file; without it `yulian.config.json` in `cwd` is read when present. */
  file?: string;
  /** Environment variables (pass `process.env` from the CLI only). */
  env?: Record<string, string | undefined>;
  /** CLI flags by flag name (`http-port`), as commander parsed them. */
  flags?: Record<string, string | number | boolean | undefined>;
  cwd?: string;
}

const setPath = (target: Record<string, unknown>, key: string, value: unknown): void => {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = (typeof next === 'object' && next !== null ? next : (node[part] = {})) as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
};

const getPath = (source: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), source);

/**
 * Builds the effective configuration: defaults < config file < environment (`YULIAN_*`) < CLI flags,
 * validated with zod.
 * @example const config = loadConfig({ env: process.env, flags: { demo: true } })
 * @throws ConfigError naming each bad key, its value and the expected form
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();

  const filePath = options.file ? resolve(cwd, options.file) : resolve(cwd, 'yulian.config.json');
  if (options.file || existsSync(filePath)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (e) {
      throw new ConfigError([
        { key: '(file)', value: filePath, expected: `a readable JSON file (${(e as Error).message})`, source: 'config file' },
      ]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([{ key: '(file)', value: filePath, expected: 'a JSON object', source: 'config file' }]);
    }
    Object.assign(merged, parsed);
    for (const s of configSources) if (getPath(parsed, s.key) !== undefined) origin.set(s.key, `config file ${filePath}`);
  }
  for (const s of configSources) {
    const v = options.env?.[s.env];
    if (v !== undefined && v !== '') {
      setPath(merged, s.key, v);
      origin.set(s.key, `environment ${s.env}`);
    }
  }
  for (const s of configSources) {
    const v = options.flags?.[s.flag];
    if (v !== undefined) {
      setPath(merged, s.key, v);
      origin.set(s.key, `flag --${s.flag}`);
    }
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(toIssues(result.error, merged, origin));
  return result.data;
}

function toIssues(error: ZodError, input: unknown, origin: Map<string, string>): ConfigIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.join('.');
      const keys = issue.keys.map((k) => (prefix ? `${prefix}.${k}` : k));
      return { key: keys.join(', '), value: '(unknown key)', expected: 'a known setting (see docs/operations.md)', source: 'config file' };
    }
    const key = issue.path.join('.');
    const value = getPath(input, key);
    const secret = configSources.some((s) => s.key === key && s.secret);
    const shown = !secret || typeof value !== 'string' ? value : key.startsWith('auth.') || key === 'handle.keySecret' ? '***' : maskUrl(value);
    return { key, value: shown, expected: issue.message, source: origin.get(key) ?? 'default' };
  });
}

/** The configuration with every secret replaced by `***`, for `--print-config` and logs. */
export function maskConfig(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const s of configSources) {
    if (!s.secret) continue;
    const v = getPath(copy, s.key);
    if (typeof v !== 'string' || v === 'sqlite' || v === 'memory') continue;
    setPath(copy, s.key, s.key.startsWith('auth.') ? '***' : maskUrl(v));
  }
  return copy;
}

/** Drops the password of a URL (`postgres://u:***@host/db`); anything unparsable becomes `***`. */
export function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '***';
  }
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorRegistry } from './registry.js';
import { YulianError } from './yulian-error.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...docs.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [m[1] as string, { status: Number(m[2]), message: m[3] as string }]),
);

describe('error registry', () => {
  it('has a row in docs/errors.md for every code, with the same status and message', () => {
    const registry = Object.fromEntries(Object.entries(errorRegistry).map(([code, e]) => [code, { status: e.status, message: e.message }]));
    expect(Object.fromEntries(rows)).toEqual(registry);
  });

  it('uses only client and server error statuses', () => {
    for (const e of Object.values(errorRegistry)) expect(e.status >= 400 && e.status < 600).toBe(true);
  });

  it('builds the API error body from a code', () => {
    expect(new YulianError('USER_NOT_FOUND', 'No user 7.').toJSON()).toEqual({ error: { code: 'USER_NOT_FOUND', message: 'No user 7.' } });
    expect(new YulianError('FORBIDDEN').status).toBe(403);
  });
});

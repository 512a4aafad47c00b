import type { HandleValueJson } from './identifier-types';

/**
 * How the record page shows a value's data: text as it is, HS_ADMIN as `who:index` with its twelve
 * permission bits, HS_VLIST as its references, HS_SITE as its servers' addresses and ports, bytes as
 * base64 with their length.
 *
 * @example
 * formatHandleData({ format: 'admin', value: { handle: '0.NA/88.100.1', index: 300, permissions: '111111111111' } })
 * // { text: '0.NA/88.100.1:300', detail: '111111111111' }
 */
export function formatHandleData(data: HandleValueJson['data']): { text: string; detail?: string } {
  switch (data.format) {
    case 'string':
      return { text: data.value };
    case 'base64':
      return { text: data.value, detail: `${base64Length(data.value)} B` };
    case 'admin':
      return { text: `${data.value.handle}:${data.value.index}`, detail: data.value.permissions };
    case 'vlist':
      return { text: data.value.map((r) => `${r.handle}:${r.index}`).join(', ') };
    case 'site': {
      const servers = data.value.servers.map((s) => {
        const ports = s.interfaces.map((i) => `${i.protocol} ${i.port}`).join(', ');
        return ports ? `${s.address} (${ports})` : s.address;
      });
      return { text: servers.join('; '), detail: `v${data.value.protocolVersion}${data.value.primarySite ? ' primary' : ''}` };
    }
  }
}

/**
 * An `HS_SIGNATURE` value's JSON (algorithm, signer, the indexes it covers) in one line, or undefined
 * when the text is not such JSON.
 * @example summariseSignature('{"alg":"SM2-SM3","signer":"300:0.NA/88.100.1","digests":[{"index":1}]}') // 'SM2-SM3 · 300:0.NA/88.100.1 · [1]'
 */
export function summariseSignature(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { alg, signer, digests } = parsed as { alg?: unknown; signer?: unknown; digests?: unknown };
  if (typeof alg !== 'string' || typeof signer !== 'string') return undefined;
  const indexes = Array.isArray(digests) ? digests.map((d: unknown) => (typeof d === 'object' && d !== null ? (d as { index?: unknown }).index : undefined)).filter((i) => typeof i === 'number') : [];
  return `${alg} · ${signer} · [${indexes.join(', ')}]`;
}

/** Bytes in a base64 text (padding aside). */
export function base64Length(value: string): number {
  const clean = value.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

/**
 * A value's TTL in words-free form: seconds as `86400 s (1 d)`, an absolute one as its ISO time.
 * @example formatTtl(3600) // '3600 s (1 h)'
 */
export function formatTtl(ttl: number | string): string {
  if (typeof ttl === 'string') return ttl;
  if (ttl % 86_400 === 0 && ttl > 0) return `${ttl} s (${ttl / 86_400} d)`;
  if (ttl % 3_600 === 0 && ttl > 0) return `${ttl} s (${ttl / 3_600} h)`;
  return `${ttl} s`;
}

/** Values in index order (the server keeps them as written). */
export const byIndex = (values: readonly HandleValueJson[]): HandleValueJson[] => [...values].sort((a, b) => a.index - b.index);

/**
 * An identifier typed into the search box, cleaned: spaces around it dropped and a leading `hdl:` or a
 * resolver URL's path (`https://…/r/88.100.1/x`) removed; undefined unless it has a prefix and a suffix.
 *
 * @example parseIdentifierInput(' 88.100.1/dev.cnc-01 ') // '88.100.1/dev.cnc-01'
 */
export function parseIdentifierInput(input: string): string | undefined {
  let s = input.trim().replace(/^hdl:/i, '');
  const resolver = /^https?:\/\/[^/]+\/(?:r\/)?(.+)$/i.exec(s);
  if (resolver?.[1]) {
    try {
      s = decodeURIComponent(resolver[1]);
    } catch {
      s = resolver[1];
    }
  }
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) return undefined;
  return s;
}

/** A prefix typed into the browse box: trimmed, no trailing slash; undefined when empty or not dotted segments. */
export function parsePrefixInput(input: string): string | undefined {
  const s = input.trim().replace(/\/+$/, '');
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(s) ? s : undefined;
}

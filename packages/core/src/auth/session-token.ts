import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { YulianError } from '../errors/index.js';

/** What a session token carries. Verification needs only the secret: API nodes share no memory. */
export interface SessionClaims {
  /** user id */
  sub: string;
  /** tenant id, or null for platform users */
  tid: string | null;
  role: string;
  /** token id, for revocation */
  jti: string;
  /** issued at, epoch seconds */
  iat: number;
  /**
   * Issued at, epoch ms: what revocation compares with (a password change voids sessions issued before
   * it; whole seconds let a session from the same second survive). Absent in older tokens (iat is used).
   */
  iatMs?: number;
  /** expires at, epoch seconds */
  exp: number;
}

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs a session token (a compact HS256 JWT).
 * @example const { token, claims } = signSessionToken(secret, { sub, tid, role }, 3600)
 */
export function signSessionToken(
  secret: string,
  subject: Pick<SessionClaims, 'sub' | 'tid' | 'role'>,
  ttlSeconds: number,
  now = Date.now(),
): { token: string; claims: SessionClaims } {
  const iat = Math.floor(now / 1000);
  const claims: SessionClaims = { ...subject, jti: randomUUID(), iat, iatMs: now, exp: iat + ttlSeconds };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return { token: `${body}.${sign(secret, body)}`, claims };
}

/**
 * Verifies a session token's signature and expiry; revocation is the caller's check.
 * @throws YulianError UNAUTHENTICATED (malformed or bad signature) or TOKEN_EXPIRED
 */
export function verifySessionToken(secret: string, token: string, now = Date.now()): SessionClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== header) throw new YulianError('UNAUTHENTICATED', 'The bearer token is malformed.');
  const [, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new YulianError('UNAUTHENTICATED', 'The bearer token signature is invalid.');
  }
  let claims: SessionClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
  } catch {
    throw new YulianError('UNAUTHENTICATED', 'The bearer token is malformed.');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw new YulianError('TOKEN_EXPIRED');
  return claims;
}

const sign = (secret: string, data: string): string => createHmac('sha256', secret).update(data).digest('base64url');

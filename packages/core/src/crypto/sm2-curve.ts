// The SM2 recommended curve (GB/T 32918.5): y² = x³ + ax + b over F_p, prime order n, cofactor 1.
//
// NOT A HARDENED IMPLEMENTATION. JavaScript BigInt arithmetic takes data-dependent time, so nothing here
// is constant time. Where it is cheap we avoid the worst leaks: scalar multiplications with a secret
// scalar walk every window of a fixed 256-bit length and do the same additions whatever the digits are.
// Good for signing records and notices on our own servers; not for hostile co-tenants measuring timing.

/** The field prime p. */
export const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
/** The curve coefficient a (= p − 3, which the doubling formula below relies on). */
export const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
/** The curve coefficient b. */
export const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
/** The group order n. */
export const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
/** The base point's x. */
export const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
/** The base point's y. */
export const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** A point in affine coordinates; never the point at infinity. */
export interface AffinePoint {
  readonly x: bigint;
  readonly y: bigint;
}

/** Jacobian coordinates (x/z², y/z³); z = 0 is the point at infinity. */
interface JacobianPoint {
  readonly x: bigint;
  readonly y: bigint;
  readonly z: bigint;
}

const INFINITY: JacobianPoint = { x: 1n, y: 1n, z: 0n };
/** The base point G. */
export const G: AffinePoint = { x: GX, y: GY };

/** `a mod m` in [0, m). */
export const mod = (a: bigint, m: bigint): bigint => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

const fp = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/** The inverse of `a` modulo `m` (extended Euclid); throws when none exists. */
export function invert(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    const r2 = r0 - q * r1;
    r0 = r1;
    r1 = r2;
    const t2 = t0 - q * t1;
    t0 = t1;
    t1 = t2;
  }
  if (r0 !== 1n) throw new RangeError('Not invertible.');
  return mod(t0, m);
}

function powP(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = fp(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = fp(result * b);
    b = fp(b * b);
  }
  return result;
}

/** True when (x, y) lies on the curve with both coordinates reduced. */
export function isOnCurve(point: AffinePoint): boolean {
  const { x, y } = point;
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  return fp(y * y) === fp(x * x * x + A * x + B);
}

/** The y with the given parity (0 even, 1 odd) such that (x, y) is on the curve, or null. */
export function liftX(x: bigint, parity: 0 | 1): AffinePoint | null {
  if (x < 0n || x >= P) return null;
  const c = fp(x * x * x + A * x + B);
  // p ≡ 3 (mod 4), so a square root is c^((p+1)/4) when one exists.
  const y = powP(c, (P + 1n) / 4n);
  if (fp(y * y) !== c) return null;
  // No point has y = 0 (the order is an odd prime), so P − y has the other parity.
  return { x, y: Number(y & 1n) === parity ? y : P - y };
}

function double(p: JacobianPoint): JacobianPoint {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  // dbl-2001-b (a = −3)
  const delta = fp(p.z * p.z);
  const gamma = fp(p.y * p.y);
  const beta = fp(p.x * gamma);
  const alpha = fp(3n * (p.x - delta) * (p.x + delta));
  const x = fp(alpha * alpha - 8n * beta);
  const z = fp((p.y + p.z) * (p.y + p.z) - gamma - delta);
  const y = fp(alpha * (4n * beta - x) - 8n * gamma * gamma);
  return { x, y, z };
}

function addAffine(p: JacobianPoint, q: AffinePoint): JacobianPoint {
  if (p.z === 0n) return { x: q.x, y: q.y, z: 1n };
  // madd-2007-bl
  const z1z1 = fp(p.z * p.z);
  const u2 = fp(q.x * z1z1);
  const s2 = fp(q.y * p.z * z1z1);
  const h = fp(u2 - p.x);
  const r = fp(2n * (s2 - p.y));
  if (h === 0n) return r === 0n ? double(p) : INFINITY;
  const hh = fp(h * h);
  const i = fp(4n * hh);
  const j = fp(h * i);
  const v = fp(p.x * i);
  const x = fp(r * r - j - 2n * v);
  const y = fp(r * (v - x) - 2n * p.y * j);
  const z = fp((p.z + h) * (p.z + h) - z1z1 - hh);
  return { x, y, z };
}

function add(p: JacobianPoint, q: JacobianPoint): JacobianPoint {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  // add-2007-bl
  const z1z1 = fp(p.z * p.z);
  const z2z2 = fp(q.z * q.z);
  const u1 = fp(p.x * z2z2);
  const u2 = fp(q.x * z1z1);
  const s1 = fp(p.y * q.z * z2z2);
  const s2 = fp(q.y * p.z * z1z1);
  const h = fp(u2 - u1);
  const r = fp(2n * (s2 - s1));
  if (h === 0n) return r === 0n ? double(p) : INFINITY;
  const i = fp(4n * h * h);
  const j = fp(h * i);
  const v = fp(u1 * i);
  const x = fp(r * r - j - 2n * v);
  const y = fp(r * (v - x) - 2n * s1 * j);
  const z = fp(((p.z + q.z) * (p.z + q.z) - z1z1 - z2z2) * h);
  return { x, y, z };
}

/** Converts finite Jacobian points to affine with one inversion (Montgomery's trick). */
function toAffineAll(points: readonly JacobianPoint[]): AffinePoint[] {
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const p of points) {
    prefix.push(acc);
    acc = fp(acc * p.z);
  }
  let inv = invert(acc, P);
  const out = new Array<AffinePoint>(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i] as JacobianPoint;
    const zinv = fp(inv * (prefix[i] as bigint));
    inv = fp(inv * p.z);
    const zinv2 = fp(zinv * zinv);
    out[i] = { x: fp(p.x * zinv2), y: fp(p.y * zinv2 * zinv) };
  }
  return out;
}

const toAffine = (p: JacobianPoint): AffinePoint | null => (p.z === 0n ? null : (toAffineAll([p])[0] as AffinePoint));

// Fixed-base comb for G: row i holds j·2^(W·i)·G for j = 1 … 2^W − 1, so k·G is one table addition per
// W-bit digit of k and no doublings. W = 6: 43 rows × 63 points (~0.4 MB), built on first use (~20 ms);
// W = 4 signs ~25 % slower, W = 8 takes ~75 ms to build for little more.
const W = 6;
const ROWS = Math.ceil(256 / W);
const DIGIT_MASK = (1n << BigInt(W)) - 1n;
let gTable: AffinePoint[][] | undefined;

function baseTable(): AffinePoint[][] {
  if (gTable) return gTable;
  const flat: JacobianPoint[] = [];
  let base: JacobianPoint = { x: GX, y: GY, z: 1n };
  for (let row = 0; row < ROWS; row++) {
    let acc = base;
    for (let j = 1; j < 1 << W; j++) {
      flat.push(acc);
      acc = add(acc, base);
    }
    base = acc; // 2^W · base
  }
  const affine = toAffineAll(flat);
  const per = (1 << W) - 1;
  gTable = Array.from({ length: ROWS }, (_, row) => affine.slice(row * per, (row + 1) * per));
  return gTable;
}

/** Adds k·G into `acc` digit by digit; each zero digit adds into a throw-away accumulator instead. */
function addBaseMultiple(acc: JacobianPoint, k: bigint): JacobianPoint {
  const table = baseTable();
  let r = acc;
  let dummy: JacobianPoint = INFINITY;
  for (let row = 0; row < ROWS; row++) {
    const digit = Number((k >> BigInt(W * row)) & DIGIT_MASK);
    const entries = table[row] as AffinePoint[];
    if (digit === 0) dummy = addAffine(dummy, entries[row % entries.length] as AffinePoint);
    else r = addAffine(r, entries[digit - 1] as AffinePoint);
  }
  return r;
}

/** k·G for a scalar k in [1, n − 1] (so never the point at infinity). */
export function multiplyBase(k: bigint): AffinePoint {
  if (k < 1n || k >= N) throw new RangeError('The scalar must lie in [1, n − 1].');
  return toAffine(addBaseMultiple(INFINITY, k)) as AffinePoint;
}

/** Width-w NAF digits of k, least significant first: odd digits in (−2^(w−1), 2^(w−1)) or zero. */
function wnaf(k: bigint, w: number): number[] {
  const digits: number[] = [];
  const full = 1n << BigInt(w);
  const half = full >> 1n;
  let rest = k;
  while (rest > 0n) {
    let d = 0n;
    if (rest & 1n) {
      d = rest & (full - 1n);
      if (d >= half) d -= full;
      rest -= d;
    }
    digits.push(Number(d));
    rest >>= 1n;
  }
  return digits;
}

/** Odd multiples P, 3P, …, (2^(w−1) − 1)P in affine form. */
function oddMultiples(point: AffinePoint, w: number): AffinePoint[] {
  const p: JacobianPoint = { x: point.x, y: point.y, z: 1n };
  const twice = double(p);
  const out: JacobianPoint[] = [p];
  for (let i = 1; i < 1 << (w - 2); i++) out.push(add(out[i - 1] as JacobianPoint, twice));
  return toAffineAll(out);
}

/**
 * u1·G + u2·Q for public scalars (signature verification): wNAF for Q, the comb for G, one accumulator.
 * Variable time; null for the point at infinity. Q must be a valid curve point.
 */
export function multiplyBaseAndAdd(u1: bigint, u2: bigint, q: AffinePoint): AffinePoint | null {
  const w = 5;
  const table = oddMultiples(q, w);
  const digits = wnaf(mod(u2, N), w);
  let r = INFINITY;
  for (let i = digits.length - 1; i >= 0; i--) {
    r = double(r);
    const d = digits[i] as number;
    if (d > 0) r = addAffine(r, table[(d - 1) >> 1] as AffinePoint);
    else if (d < 0) {
      const t = table[(-d - 1) >> 1] as AffinePoint;
      r = addAffine(r, { x: t.x, y: P - t.y });
    }
  }
  return toAffine(addBaseMultiple(r, mod(u1, N)));
}

/**
 * k·Q for a secret k and any valid point Q (SM2 decryption): a fixed 4-bit window over all 256 bits,
 * four doublings and one addition per window whatever the digit. Null for the point at infinity.
 */
export function multiplySecret(k: bigint, q: AffinePoint): AffinePoint | null {
  const p: JacobianPoint = { x: q.x, y: q.y, z: 1n };
  const multiples: JacobianPoint[] = [p];
  for (let j = 1; j < 15; j++) multiples.push(add(multiples[j - 1] as JacobianPoint, p));
  const table = toAffineAll(multiples);
  const scalar = mod(k, N);
  let r = INFINITY;
  let dummy = INFINITY;
  for (let window = 63; window >= 0; window--) {
    r = double(double(double(double(r))));
    const digit = Number((scalar >> BigInt(4 * window)) & 0xfn);
    if (digit === 0) dummy = addAffine(dummy, table[window % 15] as AffinePoint);
    else r = addAffine(r, table[digit - 1] as AffinePoint);
  }
  return toAffine(r);
}

import { YulianError } from '../errors/index.js';
import { type DerElement, DerTag, derEncode, derInteger, derOid, derReadAll, derReadOne, derReadSequence, derSequence, derToInteger } from './der.js';
import { multiplyBase } from './sm2-curve.js';
import { bigintToBytes, bytesToBigint, encodePoint, parsePrivateKey, parsePublicKey } from './sm2-keys.js';

// SPKI (RFC 5280) and PKCS#8 (RFC 5208) as OpenSSL writes SM2 keys: algorithm id-ecPublicKey with the
// named curve SM2 (1.2.156.10197.1.301) as its parameter; the PKCS#8 body is an RFC 5915 ECPrivateKey
// carrying the public key. OpenSSL's older SEC1 "EC PRIVATE KEY" files are read too.

const invalid = (message: string): YulianError => new YulianError('CRYPTO_INPUT_INVALID', message);

const ecPublicKeyOid = derOid('1.2.840.10045.2.1');
const sm2CurveOid = derOid('1.2.156.10197.1.301');
const algorithm = derSequence(ecPublicKeyOid, sm2CurveOid);

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The first PEM block with one of `labels` (`openssl ecparam -genkey` puts the curve parameters first). */
function fromPem(pem: string, labels: readonly string[]): { label: string; der: Buffer } {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.some((b) => b[1] === 'ENCRYPTED PRIVATE KEY' || b[2]?.includes('Proc-Type:'))) {
    throw invalid('The PEM key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem).');
  }
  const block = blocks.find((b) => labels.includes(b[1] ?? ''));
  if (!block) {
    const found = blocks.length ? `found ${blocks.map((b) => b[1]).join(', ')}` : 'found no PEM block';
    throw invalid(`Expected a PEM ${labels.join(' or ')}; ${found}.`);
  }
  const [, label = '', body = ''] = block;
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw invalid('The PEM body is not base64.');
  return { label, der: Buffer.from(base64, 'base64') };
}

const isOid = (element: DerElement | undefined, oid: Buffer): boolean =>
  element?.tag === DerTag.oid && derEncode(DerTag.oid, element.content).equals(oid);

function checkAlgorithm(element: DerElement | undefined): void {
  const parts = element?.tag === DerTag.sequence ? derReadAll(element.content) : [];
  if (parts.length !== 2 || !isOid(parts[0], ecPublicKeyOid) || !isOid(parts[1], sm2CurveOid)) {
    throw invalid('The key is not an SM2 key (expected id-ecPublicKey with curve 1.2.156.10197.1.301).');
  }
}

/** The point bytes inside a BIT STRING with no unused bits. */
function bitStringBytes(element: DerElement | undefined): Buffer {
  if (element?.tag !== DerTag.bitString || element.content[0] !== 0) throw invalid('Expected a BIT STRING holding a public key.');
  return element.content.subarray(1);
}

/**
 * The SPKI PEM (`-----BEGIN PUBLIC KEY-----`) of a public key in either form, as OpenSSL writes it.
 * @example sm2PublicKeyToPem(publicKey) // readable by `openssl pkey -pubin` and `crypto.createPublicKey`
 */
export function sm2PublicKeyToPem(publicKey: Uint8Array): string {
  const point = encodePoint(parsePublicKey(publicKey));
  return toPem('PUBLIC KEY', derSequence(algorithm, derEncode(DerTag.bitString, Buffer.concat([Buffer.from([0]), point]))));
}

/**
 * The 65-byte public key `04 ‖ x ‖ y` from an SPKI PEM (compressed points inside are accepted too).
 * @throws YulianError CRYPTO_INPUT_INVALID when it is not a valid SM2 public key
 */
export function sm2PublicKeyFromPem(pem: string): Buffer {
  const items = derReadSequence(fromPem(pem, ['PUBLIC KEY']).der);
  if (items.length !== 2) throw invalid('A SubjectPublicKeyInfo has two parts.');
  checkAlgorithm(items[0]);
  return encodePoint(parsePublicKey(bitStringBytes(items[1])));
}

/** RFC 5915 ECPrivateKey, with the public key and, for SEC1 files, the curve. */
function ecPrivateKey(d: bigint, withCurve: boolean): Buffer {
  const publicKey = derEncode(DerTag.bitString, Buffer.concat([Buffer.from([0]), encodePoint(multiplyBase(d))]));
  return derSequence(
    derInteger(1n),
    derEncode(DerTag.octetString, bigintToBytes(d)),
    ...(withCurve ? [derEncode(DerTag.context0, sm2CurveOid)] : []),
    derEncode(DerTag.context1, publicKey),
  );
}

function readEcPrivateKey(der: Uint8Array, curveRequired: boolean): Buffer {
  const [version, secret, ...optional] = derReadSequence(der);
  if (derToInteger(version) !== 1n || secret?.tag !== DerTag.octetString || secret.content.length > 32) {
    throw invalid('Malformed ECPrivateKey (RFC 5915).');
  }
  const privateKey = bigintToBytes(bytesToBigint(secret.content));
  const d = parsePrivateKey(privateKey);
  const params = optional.find((e) => e.tag === DerTag.context0);
  if (params ? !isOid(derReadOne(params.content, DerTag.oid), sm2CurveOid) : curveRequired) {
    throw invalid('The EC private key is not on the SM2 curve (1.2.156.10197.1.301).');
  }
  const embedded = optional.find((e) => e.tag === DerTag.context1);
  if (embedded && !encodePoint(parsePublicKey(bitStringBytes(derReadOne(embedded.content, DerTag.bitString)))).equals(encodePoint(multiplyBase(d)))) {
    throw invalid('The public key inside the private key file does not belong to its private key.');
  }
  return privateKey;
}

/**
 * The unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) of a 32-byte private key, as OpenSSL 3
 * writes SM2 keys. Keep it secret: store it sealed (`sm4Seal`) or in a secret store.
 * @example writeFileSync('sign.key', sm2PrivateKeyToPem(privateKey), { mode: 0o600 })
 */
export function sm2PrivateKeyToPem(privateKey: Uint8Array): string {
  const d = parsePrivateKey(privateKey);
  return toPem('PRIVATE KEY', derSequence(derInteger(0n), algorithm, derEncode(DerTag.octetString, ecPrivateKey(d, false))));
}

/**
 * The 32-byte private key from a PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY` PEM on the SM2 curve.
 * A public key inside the file must match the private key.
 * @throws YulianError CRYPTO_INPUT_INVALID (encrypted, another curve, malformed, mismatched)
 */
export function sm2PrivateKeyFromPem(pem: string): Buffer {
  const { label, der } = fromPem(pem, ['PRIVATE KEY', 'EC PRIVATE KEY']);
  if (label === 'EC PRIVATE KEY') return readEcPrivateKey(der, true);
  const [version, algorithmId, body] = derReadSequence(der);
  const v = derToInteger(version);
  if ((v !== 0n && v !== 1n) || body?.tag !== DerTag.octetString) throw invalid('Malformed PKCS#8 PrivateKeyInfo.');
  checkAlgorithm(algorithmId);
  return readEcPrivateKey(body.content, false);
}

/**
 * The SEC1 `EC PRIVATE KEY` PEM (with the curve), for tools that want OpenSSL 1.1's traditional format.
 * @example sm2PrivateKeyToSec1Pem(privateKey) // '-----BEGIN EC PRIVATE KEY-----\n…'
 */
export function sm2PrivateKeyToSec1Pem(privateKey: Uint8Array): string {
  return toPem('EC PRIVATE KEY', ecPrivateKey(parsePrivateKey(privateKey), true));
}

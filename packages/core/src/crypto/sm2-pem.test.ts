import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servicesRequired } from '../testing/index.js';
import { sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from './sm2-keys.js';
import { sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PrivateKeyToSec1Pem, sm2PublicKeyFromPem, sm2PublicKeyToPem } from './sm2-pem.js';
import { sm2Sign, sm2SignatureFromDer, sm2SignatureToDer, sm2Verify } from './sm2.js';

const code = (c: string) => expect.objectContaining({ code: c });

function opensslVersion(): string | null {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' });
  } catch {
    return null;
  }
}
const openssl3 = /^OpenSSL 3\./.test(opensslVersion() ?? '');
// CI installs openssl (.ci/run): there the interoperability test must run, not skip.
if (servicesRequired() && !openssl3) throw new Error('the openssl 3 command line is required (YULIAN_REQUIRE_SERVICES=1)');

describe('SM2 PEM keys', () => {
  it('round-trips public and private keys through our own PEM', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    expect(sm2PublicKeyFromPem(sm2PublicKeyToPem(publicKey))).toEqual(publicKey);
    expect(sm2PublicKeyFromPem(sm2PublicKeyToPem(sm2PublicKeyFromPrivate(privateKey, { compressed: true })))).toEqual(publicKey);
    expect(sm2PrivateKeyFromPem(sm2PrivateKeyToPem(privateKey))).toEqual(privateKey);
    expect(sm2PrivateKeyFromPem(sm2PrivateKeyToSec1Pem(privateKey))).toEqual(privateKey);
    expect(sm2PublicKeyFromPem(sm2PublicKeyToPem(publicKey).replace(/\n/g, '\r\n'))).toEqual(publicKey);
    // `openssl ecparam -genkey -name SM2` writes the curve parameters ahead of the key.
    const withParams = `-----BEGIN SM2 PARAMETERS-----\nBggqgRzPVQGCLQ==\n-----END SM2 PARAMETERS-----\n${sm2PrivateKeyToSec1Pem(privateKey)}`;
    expect(sm2PrivateKeyFromPem(withParams)).toEqual(privateKey);
    expect(sm2PrivateKeyToPem(privateKey)).toMatch(/^-----BEGIN PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
  });

  it('reads keys that Node’s OpenSSL generates on the SM2 curve, in PKCS#8, SEC1 and SPKI', () => {
    for (let i = 0; i < 5; i++) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const privateKey = sm2PrivateKeyFromPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const publicKey = sm2PublicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      expect(sm2PublicKeyFromPrivate(privateKey)).toEqual(publicKey);
      const sec1 = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
      expect(sm2PrivateKeyFromPem(sec1)).toEqual(privateKey);
      expect(sm2PrivateKeyToSec1Pem(privateKey)).toBe(sec1);
    }
  });

  it('writes the same bytes OpenSSL writes, so OpenSSL reads ours', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const pkcs8 = sm2PrivateKeyToPem(privateKey);
    const spki = sm2PublicKeyToPem(publicKey);
    const nodeKey = createPrivateKey(pkcs8);
    expect(nodeKey.export({ type: 'pkcs8', format: 'pem' })).toBe(pkcs8);
    expect(createPublicKey(nodeKey).export({ type: 'spki', format: 'pem' })).toBe(spki);
    expect(createPublicKey(spki).export({ type: 'spki', format: 'pem' })).toBe(spki);
    // (Node 20 aborts the process when asked for SEC1 from a key it read as SM2, so SEC1 is compared above.)
  });

  it('refuses keys on other curves, encrypted keys, wrong labels and broken files', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const nodePair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const encrypted = nodePair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    const publicPem = sm2PublicKeyToPem(publicKey);
    const bad: Array<() => unknown> = [
      () => sm2PublicKeyFromPem(p256.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      () => sm2PrivateKeyFromPem(p256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      () => sm2PrivateKeyFromPem(p256.privateKey.export({ type: 'sec1', format: 'pem' }).toString()),
      () => sm2PrivateKeyFromPem(encrypted),
      () => sm2PrivateKeyFromPem(publicPem),
      () => sm2PublicKeyFromPem(sm2PrivateKeyToPem(privateKey)),
      () => sm2PublicKeyFromPem('not a pem'),
      () => sm2PublicKeyFromPem(publicPem.replace('-----\nMFkw', '-----\nM!kw')), // not base64
      () => sm2PublicKeyFromPem(publicPem.replace(/\n[A-Za-z0-9+/]{8}/, '\n')), // bytes missing
    ];
    for (const [i, f] of bad.entries()) expect(f, `case ${i}`).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it('refuses a private key file whose embedded public key belongs to another key', () => {
    const a = sm2GenerateKeyPair();
    const b = sm2GenerateKeyPair();
    const der = createPrivateKey(sm2PrivateKeyToPem(a.privateKey)).export({ type: 'pkcs8', format: 'der' });
    b.publicKey.copy(der, der.length - 65); // the public key is the file's last 65 bytes
    const spliced = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expect(() => sm2PrivateKeyFromPem(spliced)).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it.skipIf(!openssl3)('signs and verifies interchangeably with the openssl command line (GB/T 32918 SM2, SM3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yulian-sm2-'));
    try {
      const file = (name: string): string => join(dir, name);
      const { privateKey, publicKey } = sm2GenerateKeyPair();
      writeFileSync(file('key.pem'), sm2PrivateKeyToPem(privateKey));
      writeFileSync(file('pub.pem'), sm2PublicKeyToPem(publicKey));
      writeFileSync(file('msg'), '88.100.1/device-7 标识记录');
      const distid = ['-sigopt', 'distid:1234567812345678'];
      execFileSync('openssl', ['dgst', '-sm3', '-sign', file('key.pem'), ...distid, '-out', file('theirs.der'), file('msg')]);
      expect(sm2Verify(publicKey, readFileSync(file('msg')), sm2SignatureFromDer(readFileSync(file('theirs.der'))))).toBe(true);
      writeFileSync(file('ours.der'), sm2SignatureToDer(sm2Sign(privateKey, readFileSync(file('msg')))));
      const out = execFileSync('openssl', ['dgst', '-sm3', '-verify', file('pub.pem'), ...distid, '-signature', file('ours.der'), file('msg')], { encoding: 'utf8' });
      expect(out).toContain('Verified OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

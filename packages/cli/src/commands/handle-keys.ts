import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sm2PrivateKeyFromPem, sm2PublicKeyFromPem } from '@yulian/core';
import { type AdminCredential, type HandlePublicKey, publicKeyFromKeyObject, publicKeyFromSm2 } from '@yulian/protocols';

/** The HandlePublicKey in a PEM file: an SM2 SubjectPublicKeyInfo, else an RSA public (or private) key. */
export function publicKeyFromPemFile(path: string): HandlePublicKey {
  const pem = readFileSync(path, 'utf8');
  try {
    return publicKeyFromSm2(sm2PublicKeyFromPem(pem));
  } catch {
    return publicKeyFromKeyObject(pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem));
  }
}

/** Flags naming an administrator's key. */
export interface KeyFlags {
  keyHandle?: string;
  keyIndex?: string;
  sm2Key?: string;
  rsaKey?: string;
  secret?: string;
}

/** The credential the flags name, or the sentence saying what to pass. */
export function credentialOf(flags: KeyFlags): AdminCredential | string {
  const index = Number(flags.keyIndex);
  if (!flags.keyHandle || !Number.isInteger(index) || index < 1) return 'pass --key-handle <handle> and --key-index <n>: where your HS_PUBKEY or HS_SECKEY value is';
  const given = [flags.sm2Key, flags.rsaKey, flags.secret].filter((x) => x !== undefined).length;
  if (given !== 1) return 'pass exactly one of --sm2-key <pem file>, --rsa-key <pem file>, --secret <secret>';
  const who = { handle: flags.keyHandle, index };
  if (flags.sm2Key) return { ...who, sm2PrivateKey: sm2PrivateKeyFromPem(readFileSync(flags.sm2Key, 'utf8')) };
  if (flags.rsaKey) return { ...who, rsaPrivateKey: createPrivateKey(readFileSync(flags.rsaKey, 'utf8')) };
  return { ...who, secretKey: flags.secret! };
}

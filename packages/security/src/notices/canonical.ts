/**
 * The signed form of a notice: canonical JSON (object keys sorted, no spaces, UTF-8) of the fields that
 * make the notice what it is — number, kind, severity, title, body, affected products and CVEs, actions,
 * targets, deadline, time of issue and issuer. Anyone holding the public key can check it with any
 * GB/T 32918 implementation (SM2 with SM3, ID 1234567812345678 unless `signerId` says otherwise).
 */
import { type NoticeKind, type NoticeSeverity, type NoticeSignature, type NoticeTargets } from '@yulian/contracts';
import { SM2_DEFAULT_ID, sm2Sign, sm2SignatureFromDer, sm2SignatureToDer, sm2Verify } from '@yulian/core';

/** What the signature covers. */
export interface SignedNoticeFields {
  id: string;
  number: string;
  kind: NoticeKind;
  severity: NoticeSeverity;
  title: string;
  body: string;
  cves: string[];
  products: string[];
  actions: string[];
  targets: NoticeTargets;
  /** ISO 8601. */
  deadline: string;
  issuedAt: string;
  issuedBy: string;
}

/** The identifier in the signature's Z digest. */
export const noticeSignerId = SM2_DEFAULT_ID;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const canonicalJson = (value: Json): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * The exact text signed.
 * @example canonicalNotice(fields) // '{"actions":[…],"body":"…",…}'
 */
export function canonicalNotice(f: SignedNoticeFields): string {
  const targets = { industries: f.targets.industries, districts: f.targets.districts, assetTypes: f.targets.assetTypes, enterprises: f.targets.enterprises };
  return canonicalJson({
    id: f.id,
    number: f.number,
    kind: f.kind,
    severity: f.severity,
    title: f.title,
    body: f.body,
    cves: f.cves,
    products: f.products,
    actions: f.actions,
    targets,
    deadline: f.deadline,
    issuedAt: f.issuedAt,
    issuedBy: f.issuedBy,
  });
}

/** Signs the canonical text with an SM2 private key: the signature as stored and shown (DER, base64). */
export function signNotice(privateKey: Uint8Array, canonical: string): string {
  return sm2SignatureToDer(sm2Sign(privateKey, canonical, { id: noticeSignerId })).toString('base64');
}

/**
 * Why a signature does not verify, or undefined when it does.
 * @example verifyNotice(publicKey, canonical, sig) // undefined: valid
 */
export function whyNoticeSignatureFails(publicKey: Uint8Array, canonical: string, signature: Pick<NoticeSignature, 'value' | 'signerId'>): string | undefined {
  let parsed;
  try {
    parsed = sm2SignatureFromDer(Buffer.from(signature.value, 'base64'));
  } catch {
    return 'the signature is not a DER-encoded SM2 signature';
  }
  return sm2Verify(publicKey, canonical, parsed, { id: signature.signerId }) ? undefined : 'the signature does not match the notice text and the platform key';
}

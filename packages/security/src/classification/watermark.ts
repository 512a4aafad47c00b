/**
 * Watermarked exports: a visible header naming the requester, time, purpose and request id, and a footer
 * with the SM3 digest of everything above it and an SM2 signature (GB/T 32918) over that digest, by the
 * platform's export-signing key. A copy that was altered, or cut, no longer matches its footer.
 */
import { createHash } from 'node:crypto';
import { type Store, sm2GenerateKeyPair, sm2Sign, sm2SignatureToDer, sm2Verify, sm2SignatureFromDer } from '@yulian/core';
import type { Sealer } from './sealer.js';

/** What the watermark names. */
export interface WatermarkInfo {
  requestId: string | null;
  requester: string;
  at: number;
  purpose: string;
  dataset: string;
  level: number;
  approvedBy: string | null;
}

/** The export-signing key. */
export interface ExportSigner {
  /** SM2-signs a message; answers the DER signature (base64) and the public key (hex). */
  sign(message: string): Promise<{ signature: string; publicKey: string }>;
  publicKey(): Promise<string>;
}

const keySetting = 'data-classification.export_signing_key';

/**
 * The export-signing key of a store: generated once, its private half sealed by `sealer` in `settings`.
 * @example const signer = createExportSigner(store, sealer); await signer.sign(digest)
 */
export function createExportSigner(store: Store, sealer: Sealer): ExportSigner {
  let key: Promise<{ privateKey: Buffer; publicKey: string }> | undefined;
  const load = async (): Promise<{ privateKey: Buffer; publicKey: string }> => {
    const read = () => store.db.selectFrom('settings').select('value').where('key', '=', keySetting).executeTakeFirst();
    if (!(await read())) {
      const pair = sm2GenerateKeyPair();
      const value = JSON.stringify({ publicKey: pair.publicKey.toString('hex'), privateSealed: await sealer.seal(pair.privateKey.toString('hex')) });
      await store.db.insertInto('settings').values({ key: keySetting, value }).onConflict((oc) => oc.doNothing()).execute();
    }
    const saved = JSON.parse((await read())!.value) as { publicKey: string; privateSealed: string };
    return { publicKey: saved.publicKey, privateKey: Buffer.from(await sealer.open(saved.privateSealed), 'hex') };
  };
  const get = () => (key ??= load().catch((e: unknown) => {
    key = undefined;
    throw e;
  }));
  return {
    async sign(message) {
      const k = await get();
      return { signature: sm2SignatureToDer(sm2Sign(k.privateKey, message)).toString('base64'), publicKey: k.publicKey };
    },
    async publicKey() {
      return (await get()).publicKey;
    },
  };
}

/** The header lines (CSV comments) of a watermarked export, zh-CN then English. */
export function watermarkHeader(info: WatermarkInfo): string {
  const purpose = info.purpose.replace(/[\r\n]+/g, ' ');
  return [
    `# 数据导出水印 / Export watermark`,
    `# 申请人 requester: ${info.requester}; 审批人 approved by: ${info.approvedBy ?? '-'}; 申请单 request: ${info.requestId ?? '-'}`,
    `# 导出时间 exported at: ${new Date(info.at).toISOString()}; 数据集 dataset: ${info.dataset}; 级别 level: ${info.level}`,
    `# 用途 purpose: ${purpose}`,
    '',
  ].join('\n');
}

/**
 * Wraps export rows in the watermark: header, rows, then `# SM3: <hex>` over header and rows and
 * `# SM2: <base64 DER>` (with the public key) signing that hex. `done` gets the digest and line count
 * (header lines not counted) before the footer is sent.
 */
export async function* watermarked(rows: AsyncIterable<string>, info: WatermarkInfo, signer: ExportSigner, done?: (digest: string, lines: number) => Promise<void>): AsyncGenerator<string> {
  const hash = createHash('sm3');
  const head = watermarkHeader(info);
  hash.update(head);
  yield head;
  let lines = 0;
  for await (const chunk of rows) {
    hash.update(chunk);
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
    yield chunk;
  }
  const digest = hash.digest('hex');
  const { signature, publicKey } = await signer.sign(digest);
  await done?.(digest, lines);
  yield `# SM3: ${digest}\n# SM2: ${signature}\n# SM2 public key: ${publicKey}\n`;
}

/**
 * Checks a watermarked export: the SM3 of everything before the footer matches, and the SM2 signature
 * over it verifies with the public key named (compare that with the platform's).
 */
export function verifyWatermarked(text: string): { digestOk: boolean; signatureOk: boolean; digest: string | null; publicKey: string | null } {
  const at = text.lastIndexOf('# SM3: ');
  if (at < 0) return { digestOk: false, signatureOk: false, digest: null, publicKey: null };
  const footer = text.slice(at);
  const digest = /# SM3: ([0-9a-f]{64})/.exec(footer)?.[1] ?? null;
  const signature = /# SM2: ([A-Za-z0-9+/=]+)/.exec(footer)?.[1] ?? null;
  const publicKey = /# SM2 public key: ([0-9a-f]+)/.exec(footer)?.[1] ?? null;
  const digestOk = digest !== null && createHash('sm3').update(text.slice(0, at)).digest('hex') === digest;
  let signatureOk = false;
  try {
    signatureOk = digest !== null && signature !== null && publicKey !== null && sm2Verify(Buffer.from(publicKey, 'hex'), digest, sm2SignatureFromDer(Buffer.from(signature, 'base64')));
  } catch {
    signatureOk = false;
  }
  return { digestOk, signatureOk, digest, publicKey };
}

import { sm2GenerateKeyPair, sm2Sign, sm2SignatureToDer } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { type ExportSigner, verifyWatermarked, watermarked } from './watermark.js';

const pair = sm2GenerateKeyPair();
const signer: ExportSigner = {
  sign: async (m) => ({ signature: sm2SignatureToDer(sm2Sign(pair.privateKey, m)).toString('base64'), publicKey: pair.publicKey.toString('hex') }),
  publicKey: async () => pair.publicKey.toString('hex'),
};

async function text(rows: string[]): Promise<{ text: string; digest: string; lines: number }> {
  let digest = '';
  let lines = 0;
  let out = '';
  const info = { requestId: 'r-1', requester: '张工', at: Date.UTC(2026, 10, 29), purpose: '故障分析\nline two', dataset: 'telemetry:cnc-01', level: 2, approvedBy: 'demo-admin' };
  for await (const chunk of watermarked((async function* () { yield* rows; })(), info, signer, async (d, n) => { digest = d; lines = n; })) out += chunk;
  return { text: out, digest, lines };
}

describe('watermarked exports', () => {
  it('names requester, approver, time, purpose and request in the header and signs an SM3 digest in the footer', async () => {
    const { text: t, digest, lines } = await text(['device,point,ts,value\n', 'cnc-01,a,1,2\ncnc-01,a,2,3\n']);
    expect(t.split('\n').slice(0, 4)).toEqual([
      '# 数据导出水印 / Export watermark',
      '# 申请人 requester: 张工; 审批人 approved by: demo-admin; 申请单 request: r-1',
      '# 导出时间 exported at: 2026-11-29T00:00:00.000Z; 数据集 dataset: telemetry:cnc-01; 级别 level: 2',
      '# 用途 purpose: 故障分析 line two',
    ]);
    expect(lines).toBe(3);
    expect(verifyWatermarked(t)).toEqual({ digestOk: true, signatureOk: true, digest, publicKey: pair.publicKey.toString('hex') });
  });

  it('no longer verifies once a row is changed, removed or the footer is forged', async () => {
    const { text: t } = await text(['device,point,ts,value\n', 'cnc-01,a,1,2\n']);
    expect(verifyWatermarked(t.replace('cnc-01,a,1,2', 'cnc-01,a,1,9')).digestOk).toBe(false);
    expect(verifyWatermarked(t.replace('cnc-01,a,1,2\n', '')).digestOk).toBe(false);
    const other = sm2GenerateKeyPair().publicKey.toString('hex');
    expect(verifyWatermarked(t.replace(pair.publicKey.toString('hex'), other)).signatureOk).toBe(false);
    expect(verifyWatermarked('no footer')).toMatchObject({ digestOk: false, signatureOk: false });
  });
});

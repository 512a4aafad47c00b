import { sm2PublicKeyFromPem, sm2SignatureFromDer, sm2Verify, sm2GenerateKeyPair, sm2Sign, sm2SignatureToDer } from '@yulian/core';
import { createNoticeService } from '@yulian/security';
import { type TestPlatform, demoApi, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const day = 86_400_000;
const inDays = (n: number, from = Date.now()): string => new Date(from + n * day).toISOString();
const notice = (o: Record<string, unknown> = {}) => ({
  kind: 'vulnerability',
  severity: 'high',
  title: '某型PLC远程代码执行漏洞预警',
  body: '某型号 PLC 固件存在远程代码执行漏洞，攻击者可经 Modbus/TCP 502 端口写入恶意逻辑。',
  cves: ['CVE-2026-12345'],
  products: ['YL-PLC 300 固件 < 2.4.1'],
  actions: ['升级固件至 2.4.1', '在边界防火墙限制 502 端口访问'],
  targets: { enterprises: ['DEMO-0001'] },
  deadline: inDays(7),
  issue: true,
  ...o,
});

describe('early-warning notices on the demo platform', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;
  let demo1: string;
  let demo2: string;

  beforeAll(async () => {
    platform = await startDemoPlatform('security-notices');
    call = demoApi(platform);
    const tenants = (await call('GET', '/api/v1/enterprises', 'demo-authority')).json.items as Json[];
    demo1 = tenants.find((t) => t.code === 'DEMO-0001').id;
    demo2 = tenants.find((t) => t.code === 'DEMO-0002').id;
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const codes = async (targets: Record<string, unknown>): Promise<string[]> => {
    const r = await call('POST', '/api/v1/security/notices/preview', 'demo-authority', targets);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.items as Json[]).map((e) => e.code);
  };

  it('targets enterprises by district, industry, asset type and name, and refuses targets that reach nobody', async () => {
    expect(await codes({ districts: ['两江新区'] })).toEqual(['DEMO-0001']);
    expect(await codes({ industries: ['电子信息'] })).toEqual(['DEMO-0002']);
    expect(await codes({ districts: ['两江新区', '璧山区'] })).toEqual(['DEMO-0001', 'DEMO-0002']);
    // Every non-empty criterion must match: 电子信息 is not in 两江新区.
    expect(await codes({ districts: ['两江新区'], industries: ['电子信息'] })).toEqual([]);
    // Named enterprises are added whatever the criteria say.
    expect(await codes({ districts: ['两江新区'], industries: ['电子信息'], enterprises: ['DEMO-0002'] })).toEqual(['DEMO-0002']);
    // The demo plant's machines: a profile name, and a protocol.
    expect(await codes({ assetTypes: ['空压机 Air compressor (YL)'] })).toEqual(['DEMO-0001']);
    expect(await codes({ assetTypes: ['MODBUS-TCP'] })).toEqual(['DEMO-0001']);
    expect(await codes({ assetTypes: ['no-such-type'] })).toEqual([]);

    const nobody = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ targets: { districts: ['万州区'] } }));
    expect(nobody.status).toBe(400);
    expect(nobody.json.error.code).toBe('NOTICE_TARGETS_EMPTY');
    const unknown = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ targets: { enterprises: ['NOPE-1'] } }));
    expect(unknown.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'targets.enterprises', unknown: ['NOPE-1'] } });
    const none = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ targets: {} }));
    expect(none.json.error.code).toBe('NOTICE_TARGETS_EMPTY');
    const past = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ deadline: inDays(-1) }));
    expect(past.json.error.code).toBe('NOTICE_DEADLINE_INVALID');
    const badCve = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ cves: ['CVE-26-1'] }));
    expect(badCve.status).toBe(400);
  });

  it('issues a numbered, SM2-signed notice that each enterprise acknowledges and disposes, and closes it when the authority accepts the last disposal', async () => {
    const draft = await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ issue: false, targets: { districts: ['两江新区', '璧山区'] } }));
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({ status: 'draft', number: null, signature: null, progress: { total: 0 } });
    // Enterprises do not see drafts.
    expect((await call('GET', `/api/v1/security/notices/${draft.json.id}`, 'demo-admin')).status).toBe(404);

    const issued = await call('POST', `/api/v1/security/notices/${draft.json.id}/issue`, 'demo-authority');
    expect(issued.status).toBe(200);
    const n = issued.json;
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    expect(n.number).toMatch(new RegExp(`^渝工信安通〔${year}〕\\d+号$`));
    expect(n).toMatchObject({ status: 'issued', issuedBy: 'demo-authority', signature: { algorithm: 'SM2-SM3', signerId: '1234567812345678' }, progress: { total: 2, acknowledged: 0, disposed: 0, closed: 0, overdue: 0 } });
    expect((await call('POST', `/api/v1/security/notices/${n.id}/issue`, 'demo-authority')).json.error.code).toBe('NOTICE_STATE_INVALID');

    // The signature verifies on the platform and, from the published key, with plain GB/T 32918 SM2.
    expect((await call('GET', `/api/v1/security/notices/${n.id}/verify`, 'demo-admin')).json).toMatchObject({ valid: true, id: n.id, number: n.number });
    const signed = (await call('GET', `/api/v1/security/notices/${n.id}/signed`, 'demo-admin')).json;
    expect(JSON.parse(signed.canonical)).toMatchObject({ number: n.number, title: n.title, deadline: n.deadline, issuedBy: 'demo-authority', targets: { districts: ['两江新区', '璧山区'] } });
    const pub = await platform.app.inject({ url: '/api/v1/security/notices/public-key' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().publicKeyPem).toBe(signed.publicKeyPem);
    expect(sm2Verify(sm2PublicKeyFromPem(signed.publicKeyPem), signed.canonical, sm2SignatureFromDer(Buffer.from(signed.signature.value, 'base64')))).toBe(true);

    // Each enterprise sees it with its own row only.
    const inbox = (await call('GET', '/api/v1/security/notices', 'demo-analyst')).json.items as Json[];
    const mine = inbox.find((x) => x.id === n.id);
    expect(mine.mine).toMatchObject({ enterpriseCode: 'DEMO-0001', status: 'received', overdue: false });
    expect(mine.progress.total).toBe(1);
    expect((await call('GET', `/api/v1/security/notices/${n.id}/recipients`, 'demo2-admin')).json.items.map((r: Json) => r.enterpriseCode)).toEqual(['DEMO-0002']);

    const ack = await call('POST', `/api/v1/security/notices/${n.id}/acknowledge`, 'demo-analyst');
    expect(ack.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'demo-analyst' });
    expect((await call('POST', `/api/v1/security/notices/${n.id}/acknowledge`, 'demo-admin')).json).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'demo-analyst' });
    // Nothing to review until a disposal is reported.
    expect((await call('POST', `/api/v1/security/notices/${n.id}/recipients/${demo1}/review`, 'demo-authority', { outcome: 'accepted' })).json.error.code).toBe('NOTICE_STATE_INVALID');

    const report = { summary: '已升级全部 PLC 固件并限制 502 端口。', measures: ['固件升级至 2.4.1', '防火墙 ACL'], attachments: ['https://example.test/report.pdf'] };
    const disposed = await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo-analyst', report);
    expect(disposed.json).toMatchObject({ status: 'disposed', disposal: { ...report, reportedBy: 'demo-analyst' } });
    expect((await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo-admin', report)).json.error).toMatchObject({ code: 'NOTICE_STATE_INVALID', details: { status: 'disposed' } });

    // Returned: the enterprise reports again; accepted: closed for it, the notice stays open for DEMO-0002.
    const returned = await call('POST', `/api/v1/security/notices/${n.id}/recipients/${demo1}/review`, 'demo-authority', { outcome: 'returned', comment: '请补充防火墙策略截图' });
    expect(returned.json.recipient).toMatchObject({ status: 'acknowledged', review: { outcome: 'returned', comment: '请补充防火墙策略截图', by: 'demo-authority' } });
    await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo-admin', { ...report, attachments: ['https://example.test/acl.png'] });
    const accepted = await call('POST', `/api/v1/security/notices/${n.id}/recipients/${demo1}/review`, 'demo-authority', { outcome: 'accepted' });
    expect(accepted.json.recipient).toMatchObject({ status: 'closed', review: { outcome: 'accepted' } });
    expect(accepted.json.notice).toMatchObject({ status: 'issued', progress: { total: 2, acknowledged: 1, disposed: 1, closed: 1 } });

    // DEMO-0002 reports disposal directly (acknowledging with it); accepting it closes the notice.
    expect((await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo2-admin', { summary: '经排查无受影响设备。' })).json).toMatchObject({ status: 'disposed', acknowledgedBy: 'demo2-admin' });
    const last = await call('POST', `/api/v1/security/notices/${n.id}/recipients/${demo2}/review`, 'demo-authority', { outcome: 'accepted', comment: '同意' });
    expect(last.json.notice).toMatchObject({ status: 'closed', progress: { total: 2, closed: 2 } });
    expect(last.json.notice.closedAt).toBeTruthy();
    expect((await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo-admin', report)).json.error.code).toBe('NOTICE_STATE_INVALID');
    expect((await call('GET', `/api/v1/security/notices?status=closed`, 'demo-authority')).json.items.map((x: Json) => x.id)).toContain(n.id);

    // Every step is in the audit log.
    const audit = await platform.store.db.selectFrom('audit_log').select(['action', 'actor']).where('target', '=', n.id).orderBy('ts').execute();
    expect(audit.map((e) => `${e.action}:${e.actor}`)).toEqual([
      'security.notice.create:demo-authority',
      'security.notice.issue:demo-authority',
      'security.notice.acknowledge:demo-analyst',
      'security.notice.disposal:demo-analyst',
      'security.notice.review:demo-authority',
      'security.notice.disposal:demo-admin',
      'security.notice.review:demo-authority',
      'security.notice.disposal:demo2-admin',
      'security.notice.review:demo-authority',
    ]);
  });

  it('keeps notices to their recipients and issuing to the authority', async () => {
    const toDemo2 = (await call('POST', '/api/v1/security/notices', 'demo-authority', notice({ targets: { enterprises: ['DEMO-0002'] }, title: '仅发山城精密' }))).json;
    expect((await call('GET', `/api/v1/security/notices/${toDemo2.id}`, 'demo-admin')).status).toBe(404);
    expect((await call('GET', `/api/v1/security/notices/${toDemo2.id}/signed`, 'demo-analyst')).status).toBe(404);
    expect((await call('POST', `/api/v1/security/notices/${toDemo2.id}/acknowledge`, 'demo-admin')).status).toBe(404);
    expect(((await call('GET', '/api/v1/security/notices', 'demo-admin')).json.items as Json[]).some((x) => x.id === toDemo2.id)).toBe(false);
    expect((await call('GET', `/api/v1/security/notices/${toDemo2.id}`, 'demo2-admin')).status).toBe(200);

    for (const user of ['demo-admin', 'demo-analyst', 'demo-engineer', 'demo-operator']) expect((await call('POST', '/api/v1/security/notices', user, notice())).status, user).toBe(403);
    expect((await call('POST', `/api/v1/security/notices/${toDemo2.id}/recipients/${demo2}/review`, 'demo2-admin', { outcome: 'accepted' })).status).toBe(403);
    // The authority oversees; it does not acknowledge for an enterprise. Operators do not read notices.
    expect((await call('POST', `/api/v1/security/notices/${toDemo2.id}/acknowledge`, 'demo-authority')).status).toBe(403);
    expect((await call('GET', '/api/v1/security/notices', 'demo-operator')).status).toBe(403);
    expect((await call('GET', '/api/v1/security/notices', 'demo-engineer')).status).toBe(200);
  });

  it('refuses an altered notice, a forged signature and an unknown key with NOTICE_SIGNATURE_INVALID, and counts them', async () => {
    const n = (await call('POST', '/api/v1/security/notices', 'demo-authority', notice())).json;
    const signed = (await call('GET', `/api/v1/security/notices/${n.id}/signed`, 'demo-admin')).json;
    expect((await call('POST', '/api/v1/security/notices/verify', 'demo-admin', { canonical: signed.canonical, signature: signed.signature })).json).toMatchObject({ valid: true, number: n.number });

    const metric = async (): Promise<number> => {
      const text = (await platform.app.inject({ url: '/metrics' })).body;
      return Number(/yulian_api_errors_total\{code="NOTICE_SIGNATURE_INVALID"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await metric();
    const altered = signed.canonical.replace('2.4.1', '2.4.0');
    expect(altered).not.toBe(signed.canonical);
    const r1 = await call('POST', '/api/v1/security/notices/verify', 'demo-admin', { canonical: altered, signature: signed.signature });
    expect(r1.status).toBe(422);
    expect(r1.json.error).toMatchObject({ code: 'NOTICE_SIGNATURE_INVALID', details: { reason: 'the signature does not match the notice text and the platform key' } });

    // Signed by someone else's key while naming the platform's: refused.
    const mallory = sm2GenerateKeyPair();
    const forgedValue = sm2SignatureToDer(sm2Sign(mallory.privateKey, signed.canonical)).toString('base64');
    const r2 = await call('POST', '/api/v1/security/notices/verify', 'demo-admin', { canonical: signed.canonical, signature: { ...signed.signature, value: forgedValue } });
    expect(r2.json.error.code).toBe('NOTICE_SIGNATURE_INVALID');
    const r3 = await call('POST', '/api/v1/security/notices/verify', 'demo-admin', { canonical: signed.canonical, signature: { ...signed.signature, keyFingerprint: 'ab'.repeat(32) } });
    expect(r3.json.error).toMatchObject({ code: 'NOTICE_SIGNATURE_INVALID', details: { reason: 'it names a key the platform never used' } });
    const r4 = await call('POST', '/api/v1/security/notices/verify', 'demo-admin', { canonical: signed.canonical, signature: { ...signed.signature, value: 'bm90IGRlcg==' } });
    expect(r4.json.error).toMatchObject({ code: 'NOTICE_SIGNATURE_INVALID', details: { reason: 'the signature is not a DER-encoded SM2 signature' } });

    // A notice changed in the store behind the platform's back no longer verifies.
    await platform.store.db.updateTable('security_notices').set({ body: '请立即关闭所有防火墙。' }).where('id', '=', n.id).execute();
    const r5 = await call('GET', `/api/v1/security/notices/${n.id}/verify`, 'demo-analyst');
    expect(r5.status).toBe(422);
    expect(await metric()).toBe(before + 5);
  });

  it('records due-soon and overdue reminders once each with a given now, and shows overdue enterprises', async () => {
    // A service whose clock is three days behind: the notice it issues fell due a day ago.
    const t0 = Date.now() - 3 * day;
    let clock = t0;
    const notices = createNoticeService({ store: platform.store, now: () => clock });
    const n = await notices.create(notice({ deadline: inDays(2, t0), targets: { enterprises: ['DEMO-0001', 'DEMO-0002'] } }) as never, 'demo-authority');
    expect(n.progress).toMatchObject({ total: 2, overdue: 0 });
    await notices.reportDisposal(demo2, n.id, { summary: '已处置' }, 'demo2-admin');

    expect(await notices.sweep(t0 + 3_600_000)).toEqual([]);
    const dueSoon = await notices.sweep(t0 + 2 * day - 23 * 3_600_000);
    expect(dueSoon.map((r) => [r.enterpriseCode, r.kind])).toEqual([['DEMO-0001', 'due_soon']]);
    expect(dueSoon[0]).toMatchObject({ number: n.number, title: n.title });
    expect(await notices.sweep(t0 + 2 * day - 3_600_000)).toEqual([]);
    clock = t0 + 2.5 * day;
    const overdue = await notices.sweep();
    expect(overdue.map((r) => [r.enterpriseCode, r.kind])).toEqual([['DEMO-0001', 'overdue']]);
    expect(await notices.sweep(t0 + 2.8 * day)).toEqual([]);

    // The API (today) shows it overdue for DEMO-0001 and its reminders.
    const seen = (await call('GET', `/api/v1/security/notices/${n.id}`, 'demo-authority')).json;
    expect(seen.progress).toMatchObject({ total: 2, disposed: 1, overdue: 1 });
    const rows = (await call('GET', `/api/v1/security/notices/${n.id}/recipients`, 'demo-authority')).json.items as Json[];
    expect(rows.map((r) => [r.enterpriseCode, r.overdue])).toEqual([['DEMO-0001', true], ['DEMO-0002', false]]);
    expect((await call('GET', `/api/v1/security/notices/${n.id}/reminders`, 'demo-admin')).json.items.map((r: Json) => r.kind)).toEqual(['due_soon', 'overdue']);
    expect((await call('GET', `/api/v1/security/notices/${n.id}/reminders`, 'demo2-admin')).json.items).toEqual([]);
    expect((await call('GET', '/api/v1/security/notices', 'demo-admin')).json.items.find((x: Json) => x.id === n.id).mine).toMatchObject({ overdue: true, status: 'received' });
    // Acknowledging late does not clear overdue; disposing does.
    await call('POST', `/api/v1/security/notices/${n.id}/acknowledge`, 'demo-admin');
    expect((await call('GET', `/api/v1/security/notices/${n.id}`, 'demo-admin')).json.mine).toMatchObject({ status: 'acknowledged', overdue: true });
    await call('POST', `/api/v1/security/notices/${n.id}/disposal`, 'demo-admin', { summary: '逾期处置完成' });
    expect((await call('GET', `/api/v1/security/notices/${n.id}`, 'demo-admin')).json.mine).toMatchObject({ status: 'disposed', overdue: false });
    // The route's sweep answers what is new (nothing here: all recorded already).
    expect((await call('POST', '/api/v1/security/notices/sweep', 'demo-authority')).json.items.filter((r: Json) => r.noticeId === n.id)).toEqual([]);
  });
});

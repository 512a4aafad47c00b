import { type Store, sm2PublicKeyFromPem, sm2SignatureFromDer, sm2Verify, storeBackends } from '@yulian/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NoticeService, createNoticeService } from './notice-service.js';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 11, 31, 15, 0); // 23:00 on 31 December in Beijing: the number's year is 2026
const draft = (o: Record<string, unknown> = {}) => ({
  kind: 'threat' as const,
  severity: 'critical' as const,
  title: '针对 Modbus 设备的勒索攻击活动',
  body: '监测发现针对工控设备的勒索攻击活动。',
  targets: { industries: ['装备制造'] },
  deadline: new Date(t0 + 48 * hour).toISOString(),
  issue: true,
  ...o,
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`early-warning notices on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let clock = t0;
    let notices: NoticeService;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      clock = t0;
      notices = createNoticeService({ store, now: () => clock });
      const tenant = (id: string, district: string, industry: string) => ({ id, name: `企业 ${id}`, code: id.toUpperCase(), district, industry, created_at: t0, updated_at: t0 });
      await store.db.insertInto('tenants').values([tenant('t-a', '两江新区', '装备制造'), tenant('t-b', '璧山区', '装备制造'), tenant('t-c', '璧山区', '电子信息')]).execute();
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    it('numbers notices per year in Beijing time, even when issued at once, and signs each verifiably', async () => {
      const issued = await Promise.all([1, 2, 3].map((i) => notices.create(draft({ title: `通报 ${i}` }), 'authority')));
      expect(issued.map((n) => n.number).sort()).toEqual(['渝工信安通〔2026〕1号', '渝工信安通〔2026〕2号', '渝工信安通〔2026〕3号']);
      clock = t0 + 2 * hour; // 01:00 on 1 January in Beijing
      expect((await notices.create(draft({ deadline: new Date(clock + 48 * hour).toISOString() }), 'authority')).number).toBe('渝工信安通〔2027〕1号');

      const signed = await notices.signed({ kind: 'all' }, issued[0]!.id);
      expect(sm2Verify(sm2PublicKeyFromPem(signed.publicKeyPem), signed.canonical, sm2SignatureFromDer(Buffer.from(signed.signature.value, 'base64')))).toBe(true);
      // One key, made once (the three first signers shared it) and kept: a second service on the store signs with it.
      expect(await store.db.selectFrom('security_notice_keys').select('fingerprint').execute()).toHaveLength(1);
      const again = createNoticeService({ store, now: () => clock });
      expect((await again.publicKey()).keyFingerprint).toBe(signed.signature.keyFingerprint);
      expect(await again.verifyStored({ kind: 'tenant', tenantId: 't-a' }, issued[0]!.id)).toMatchObject({ valid: true });
      await expect(notices.verify({ canonical: signed.canonical.replace('通报 1', '通报 9'), signature: signed.signature })).rejects.toMatchObject({ code: 'NOTICE_SIGNATURE_INVALID' });
      expect(notices.stats.signatureFailures).toBe(1);
    });

    it('fixes the recipients at issue and tracks each to closure', async () => {
      const n = await notices.create(draft(), 'authority');
      expect((await notices.recipients({ kind: 'all' }, n.id)).map((r) => r.enterpriseCode)).toEqual(['T-A', 'T-B']);
      // An enterprise joining the industry later does not receive it.
      await store.db.updateTable('tenants').set({ industry: '装备制造' }).where('id', '=', 't-c').execute();
      await expect(notices.get({ kind: 'tenant', tenantId: 't-c' }, n.id)).rejects.toMatchObject({ code: 'NOTICE_NOT_FOUND' });
      expect(await notices.list({ kind: 'tenant', tenantId: 't-c' })).toEqual([]);

      expect((await notices.acknowledge('t-a', n.id, 'a-admin')).changed).toBe(true);
      expect((await notices.acknowledge('t-a', n.id, 'a-analyst')).changed).toBe(false);
      await notices.reportDisposal('t-a', n.id, { summary: '已隔离' }, 'a-analyst');
      await notices.reportDisposal('t-b', n.id, { summary: '已排查', measures: ['断开外网'] }, 'b-admin');
      expect((await notices.review(n.id, 't-a', { outcome: 'accepted' }, 'authority')).notice.status).toBe('issued');
      const last = await notices.review(n.id, 't-b', { outcome: 'accepted', comment: '同意' }, 'authority');
      expect(last.notice).toMatchObject({ status: 'closed', progress: { total: 2, acknowledged: 2, disposed: 2, closed: 2, overdue: 0 } });
      await expect(notices.review(n.id, 't-b', { outcome: 'returned' }, 'authority')).rejects.toMatchObject({ code: 'NOTICE_STATE_INVALID' });
    });

    it('records each due-soon and overdue reminder once and calls onReminder with it', async () => {
      const heard: string[] = [];
      const s = createNoticeService({ store, now: () => clock, onReminder: async (r) => void heard.push(`${r.enterpriseCode}:${r.kind}`) });
      const n = await s.create(draft({ targets: { enterprises: ['T-A', 'T-C'] } }), 'authority');
      await s.acknowledge('t-c', n.id, 'c-admin');
      expect(await s.sweep(t0 + 10 * hour)).toEqual([]);
      expect((await Promise.all([s.sweep(t0 + 30 * hour), s.sweep(t0 + 30 * hour)])).flat().map((r) => r.kind)).toEqual(['due_soon', 'due_soon']);
      await s.reportDisposal('t-c', n.id, { summary: '完成' }, 'c-admin');
      expect((await s.sweep(t0 + 49 * hour)).map((r) => `${r.enterpriseCode}:${r.kind}`)).toEqual(['T-A:overdue']);
      expect(await s.sweep(t0 + 60 * hour)).toEqual([]);
      expect(heard.sort()).toEqual(['T-A:due_soon', 'T-A:overdue', 'T-C:due_soon']);
      clock = t0 + 60 * hour;
      expect((await s.get({ kind: 'all' }, n.id)).progress).toMatchObject({ total: 2, overdue: 1, disposed: 1 });
      expect((await s.reminders({ kind: 'tenant', tenantId: 't-a' }, n.id)).map((r) => r.kind)).toEqual(['due_soon', 'overdue']);
    });
  });
}

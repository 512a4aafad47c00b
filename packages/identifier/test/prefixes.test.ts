import { type Store, YulianError, storeBackends } from '@yulian/core';
import {
  type PrefixApplication,
  type PrefixHandlePublisher,
  type PrefixRegistry,
  type RecordStore,
  createPrefixRegistry,
  createRecordStore,
  creditCodeProblem,
  parseCreditCode,
  recordsPrefixPublisher,
} from '@yulian/identifier';
import { decodeAdmin, decodeSite, decodeValues } from '@yulian/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Real codes: the example of GB 32100-2015 and those of well-known companies (business licences are public).
const validCodes = ['91350100M000100Y43', '9144030071526726XG', '914403001922038216', '91110108551385082Q', '91330100716105852F'];

/** The error a promise or function fails with. */
async function failure(work: Promise<unknown> | (() => unknown)): Promise<YulianError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (e) {
    if (e instanceof YulianError) return e;
    throw e;
  }
  throw new Error('expected a YulianError');
}

describe('unified social credit code (统一社会信用代码, GB 32100-2015)', () => {
  it('accepts real codes, in upper or lower case', () => {
    for (const code of validCodes) expect(creditCodeProblem(code)).toBeUndefined();
    expect(parseCreditCode(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('refuses a wrong check character, a wrong length, letters it never uses and a non-numeric division code', async () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('its check character is 4, but the first 17 characters give 3');
    expect(creditCodeProblem('9144030071526726XF')).toMatch(/check character/);
    expect(creditCodeProblem('91350100M000100Y4')).toMatch(/17 characters/);
    expect(creditCodeProblem('91350100M000I00Y43')).toMatch(/"I" cannot occur/);
    expect(creditCodeProblem('9135O100M000100Y43')).toMatch(/"O" cannot occur/);
    expect(creditCodeProblem('913A0100M000100Y43')).toMatch(/administrative division/);
    const e = await failure(() => parseCreditCode('91350100M000100Y44'));
    expect(e.code).toBe('CREDIT_CODE_INVALID');
    expect(e.details).toMatchObject({ field: 'creditCode' });
  });
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`enterprise prefix registry on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let records: RecordStore;
    let registry: PrefixRegistry;
    let clock: number;

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
      records = createRecordStore(store);
      clock = 1_700_000_000_000;
      registry = createPrefixRegistry({ store, parent: '88.100', handles: recordsPrefixPublisher({ records: () => records }), now: () => clock++ });
    });
    afterEach(async () => cleanup());

    const application = (tenantId: string, extra: Partial<PrefixApplication> = {}): PrefixApplication => ({
      tenantId, applicant: `${tenantId}-admin`, orgName: '重庆山城精密电子有限公司', creditCode: validCodes[0]!, contact: '王工 023-6000 0000', ...extra,
    });
    const prefixHandle = async (prefix: string) => {
      const vals = await records.get(`0.NA/${prefix}`);
      return vals && decodeValues(vals);
    };

    it('gives the next free number under the node’s prefix, skipping taken ones and reusing rejected ones', async () => {
      const first = await registry.apply(application('t1'));
      expect(first).toMatchObject({ prefix: '88.100.1', parent: '88.100', kind: 'enterprise', tenantId: 't1', state: 'pending', creditCode: validCodes[0], applicant: 't1-admin', site: null, quota: null });
      await registry.apply(application('t2', { code: '3' }));
      expect((await registry.apply(application('t3'))).prefix).toBe('88.100.2');
      await registry.reject({ prefix: '88.100.2', reviewer: 'registrar', reason: 'licence expired' });
      expect((await registry.apply(application('t4'))).prefix).toBe('88.100.2');
      expect((await registry.apply(application('t5'))).prefix).toBe('88.100.4');
    });

    it('allocates a requested code, normalised to upper case, and refuses one that is taken or malformed', async () => {
      const a = await registry.apply(application('t1', { code: 'shancheng' }));
      expect(a.prefix).toBe('88.100.SHANCHENG');
      const taken = await failure(registry.apply(application('t2', { code: 'ShanCheng' })));
      expect(taken.code).toBe('PREFIX_TAKEN');
      expect(taken.details).toEqual({ prefix: '88.100.SHANCHENG' });
      expect((await failure(registry.apply(application('t2', { code: 'a.b' })))).code).toBe('VALIDATION_FAILED');
      expect((await failure(registry.apply(application('t2', { code: '' })))).code).toBe('VALIDATION_FAILED');
    });

    it('checks the credit code before anything is recorded', async () => {
      const e = await failure(registry.apply(application('t1', { creditCode: '91350100M000100Y44' })));
      expect(e.code).toBe('CREDIT_CODE_INVALID');
      expect(await registry.list()).toEqual([]);
    });

    it('keeps one pending application per enterprise, even when two arrive at once', async () => {
      const both = await Promise.allSettled([registry.apply(application('t1')), registry.apply(application('t1'))]);
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = both.find((r) => r.status === 'rejected');
      expect(refused && (refused.reason as YulianError).code).toBe('PREFIX_APPLICATION_PENDING');
      // Once decided, the enterprise may apply again (a second prefix, or after a rejection).
      await registry.approve({ prefix: '88.100.1', reviewer: 'registrar' });
      expect((await registry.apply(application('t1'))).prefix).toBe('88.100.2');
    });

    it('gives enterprises applying at once different numbers', async () => {
      const all = await Promise.all(['t1', 't2', 't3', 't4'].map((t) => registry.apply(application(t))));
      expect(all.map((a) => a.prefix).sort()).toEqual(['88.100.1', '88.100.2', '88.100.3', '88.100.4']);
    });

    it('approves with a quota and writes the prefix handle: HS_ADMIN of the prefix and of the node', async () => {
      await registry.apply(application('t1'));
      clock += 60_000;
      const { before, after } = await registry.approve({ prefix: '88.100.1', reviewer: 'registrar', quota: 1_000_000, reason: 'licence checked' });
      expect(before.state).toBe('pending');
      expect(after).toMatchObject({ state: 'approved', reviewer: 'registrar', reviewReason: 'licence checked', quota: 1_000_000 });
      expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
      const values = (await prefixHandle('88.100.1'))!;
      expect(values.map((v) => [v.index, v.type])).toEqual([[100, 'HS_ADMIN'], [101, 'HS_ADMIN']]);
      expect(values.map((v) => decodeAdmin(v.data)).map((a) => `${a.handle}:${a.index}`)).toEqual(['0.NA/88.100.1:300', '0.NA/88.100:300']);
      expect(values[0]!.ttl).toBe(3_600);
    });

    it('delegates a prefix whose enterprise runs its own node (HS_SITE.PREFIX)', async () => {
      await registry.apply(application('t1', { site: { host: '192.0.2.10', port: 2641 } }));
      await registry.approve({ prefix: '88.100.1', reviewer: 'registrar' });
      const values = (await prefixHandle('88.100.1'))!;
      const site = values.find((v) => v.type === 'HS_SITE.PREFIX');
      expect(site?.index).toBe(1);
      const server = decodeSite(site!.data).servers[0]!;
      expect(server.address).toBe('192.0.2.10');
      expect(server.interfaces.map((i) => i.port)).toEqual([2641, 2641]);
    });

    it('rejects only with a reason and writes no prefix handle', async () => {
      await registry.apply(application('t1'));
      expect((await failure(registry.reject({ prefix: '88.100.1', reviewer: 'registrar' }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(registry.reject({ prefix: '88.100.1', reviewer: 'registrar', reason: '  ' }))).code).toBe('VALIDATION_FAILED');
      const { after } = await registry.reject({ prefix: '88.100.1', reviewer: 'registrar', reason: 'the licence names another company' });
      expect(after).toMatchObject({ state: 'rejected', reviewer: 'registrar', reviewReason: 'the licence names another company' });
      expect(await prefixHandle('88.100.1')).toBeUndefined();
    });

    it('refuses a step the state does not allow, naming from and to', async () => {
      await registry.apply(application('t1'));
      await registry.reject({ prefix: '88.100.1', reviewer: 'registrar', reason: 'no' });
      const e = await failure(registry.approve({ prefix: '88.100.1', reviewer: 'registrar' }));
      expect(e.code).toBe('PREFIX_STATE_INVALID');
      expect(e.details).toEqual({ prefix: '88.100.1', from: 'rejected', to: 'approved' });
      expect((await failure(registry.suspend({ prefix: '88.100.1', reviewer: 'registrar', reason: 'x' }))).details).toMatchObject({ from: 'rejected', to: 'suspended' });
      expect((await failure(registry.resume({ prefix: '88.100.1', reviewer: 'registrar' }))).code).toBe('PREFIX_STATE_INVALID');
      expect((await failure(registry.setQuota({ prefix: '88.100.1', reviewer: 'registrar', quota: 5 }))).details).toMatchObject({ from: 'rejected', to: 'quota' });
      expect((await failure(registry.approve({ prefix: '88.100.9', reviewer: 'registrar' }))).code).toBe('PREFIX_NOT_FOUND');
      expect((await failure(registry.approve({ prefix: 'not a prefix', reviewer: 'registrar' }))).code).toBe('PREFIX_NOT_FOUND');
    });

    it('suspends (removing the prefix handle, keeping the identifiers) and resumes', async () => {
      await registry.apply(application('t1'));
      await registry.approve({ prefix: '88.100.1', reviewer: 'registrar' });
      await records.put('88.100.1/P-1', []);
      expect((await failure(registry.suspend({ prefix: '88.100.1', reviewer: 'registrar' }))).code).toBe('VALIDATION_FAILED');
      const suspended = await registry.suspend({ prefix: '88.100.1', reviewer: 'registrar', reason: 'fees unpaid' });
      expect(suspended.after).toMatchObject({ state: 'suspended', reviewReason: 'fees unpaid' });
      expect(await prefixHandle('88.100.1')).toBeUndefined();
      expect(await records.get('88.100.1/P-1')).toBeDefined();
      const resumed = await registry.resume({ prefix: '88.100.1', reviewer: 'admin' });
      expect(resumed.after).toMatchObject({ state: 'approved', reviewer: 'admin', reviewReason: '' });
      expect(await prefixHandle('88.100.1')).toHaveLength(2);
    });

    it('changes the quota and keeps the last decision’s reviewer and reason', async () => {
      await registry.apply(application('t1'));
      await registry.approve({ prefix: '88.100.1', reviewer: 'registrar', quota: 10, reason: 'ok' });
      const { before, after } = await registry.setQuota({ prefix: '88.100.1', reviewer: 'admin', quota: 20 });
      expect([before.quota, after.quota]).toEqual([10, 20]);
      expect(after).toMatchObject({ state: 'approved', reviewer: 'registrar', reviewReason: 'ok' });
      expect((await registry.setQuota({ prefix: '88.100.1', reviewer: 'admin', quota: null })).after.quota).toBeNull();
    });

    it('puts the prefix back to pending when its handle cannot be written', async () => {
      const failing: PrefixHandlePublisher = { publish: () => Promise.reject(new Error('node down')), withdraw: () => Promise.resolve() };
      const r = createPrefixRegistry({ store, parent: '88.100', handles: failing, now: () => clock++ });
      await r.apply(application('t1'));
      await expect(r.approve({ prefix: '88.100.1', reviewer: 'registrar', quota: 5 })).rejects.toThrow('node down');
      expect(await r.get('88.100.1')).toMatchObject({ state: 'pending', reviewer: null, quota: null });
    });

    it('lists newest first, by enterprise and state', async () => {
      await registry.apply(application('t1'));
      await registry.apply(application('t2'));
      await registry.approve({ prefix: '88.100.1', reviewer: 'registrar' });
      expect((await registry.list()).map((a) => a.prefix)).toEqual(['88.100.2', '88.100.1']);
      expect((await registry.list({ tenantId: 't1' })).map((a) => a.prefix)).toEqual(['88.100.1']);
      expect((await registry.list({ state: 'pending' })).map((a) => a.tenantId)).toEqual(['t2']);
      expect(await registry.get('88.100.2')).toMatchObject({ tenantId: 't2', state: 'pending' });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { listOf } from './notice-format';
import { createNoticesApi } from './notices-api';

describe('the notices API client', () => {
  it('acknowledges, reports disposal and reviews on the paths docs/api.md names', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const notices = createNoticesApi({ token: () => 'tok', fetch });
    await notices.acknowledge('n/1');
    await notices.reportDisposal('n/1', { summary: '已升级', measures: ['固件升级'] });
    await notices.review('n/1', 't1', { outcome: 'returned', comment: '补充截图' });
    await notices.verify('n/1');
    expect(await notices.preview({ districts: ['两江新区'] })).toEqual([]);
    expect(calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'POST /api/v1/security/notices/n%2F1/acknowledge ',
      'POST /api/v1/security/notices/n%2F1/disposal {"summary":"已升级","measures":["固件升级"]}',
      'POST /api/v1/security/notices/n%2F1/recipients/t1/review {"outcome":"returned","comment":"补充截图"}',
      'GET /api/v1/security/notices/n%2F1/verify ',
      'POST /api/v1/security/notices/preview {"districts":["两江新区"]}',
    ]);
  });

  it('rejects a forged notice with its code', async () => {
    const body = { error: { code: 'NOTICE_SIGNATURE_INVALID', message: 'forged', details: { reason: 'x' } } };
    const notices = createNoticesApi({ token: () => null, fetch: fakeFetch(422, body).fetch });
    await expect(notices.verify('n1')).rejects.toMatchObject({ status: 422, code: 'NOTICE_SIGNATURE_INVALID' });
  });

  it('splits a form field into items at commas, 顿号 and new lines', () => {
    expect(listOf(' CVE-2026-1，CVE-2026-2、CVE-2026-3\n\nCVE-2026-4 ,')).toEqual(['CVE-2026-1', 'CVE-2026-2', 'CVE-2026-3', 'CVE-2026-4']);
    expect(listOf('  ')).toEqual([]);
  });
});

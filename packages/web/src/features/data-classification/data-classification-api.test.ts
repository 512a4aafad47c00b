import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { needsReason } from './classify-rules';
import { createDataClassificationApi } from './data-classification-api';

describe('the data classification API client', () => {
  it('classifies, requests, decides and reads the report on the server’s paths', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const dc = createDataClassificationApi({ token: () => 'tok', fetch });
    await dc.classifyPoint('cnc/01', 'spindle_speed_sp', { category: 'production.process', level: 3, reason: '超压联锁' });
    await dc.requestExport({ device: 'cnc-01', from: 1, to: 2, tier: 'raw', purpose: '故障分析' });
    await dc.decide('r1', 'approve');
    await dc.exports({ status: 'pending' });
    await dc.accessReport('telemetry:cnc-01');
    expect(calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'PUT /api/v1/data-classification/devices/cnc%2F01/points/spindle_speed_sp {"category":"production.process","level":3,"reason":"超压联锁"}',
      'POST /api/v1/data-classification/exports {"device":"cnc-01","from":1,"to":2,"tier":"raw","purpose":"故障分析"}',
      'POST /api/v1/data-classification/exports/r1/approve {}',
      'GET /api/v1/data-classification/exports?status=pending ',
      'GET /api/v1/data-classification/access-report?dataset=telemetry%3Acnc-01 ',
    ]);
    expect(dc.downloadPath('r1')).toBe('/api/v1/data-classification/exports/r1/download');
  });

  it('rejects a refused level-3 read with its code', async () => {
    const body = { error: { code: 'DATA_LEVEL_DENIED', message: 'level 3', details: { points: ['p'] } } };
    const dc = createDataClassificationApi({ token: () => null, fetch: fakeFetch(403, body).fetch });
    await expect(dc.points('cnc-01')).rejects.toMatchObject({ status: 403, code: 'DATA_LEVEL_DENIED' });
  });

  it('asks for a reason only when the choice differs from the default', () => {
    const p = { defaultCategory: 'production.condition' as const, defaultLevel: 1 as const };
    expect(needsReason(p, { category: 'production.condition', level: 1 })).toBe(false);
    expect(needsReason(p, { category: 'production.condition', level: 3 })).toBe(true);
    expect(needsReason(p, { category: 'production.process', level: 1 })).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import type { DeviceHistoryEntryDto } from '@yulian/contracts';
import { zhCN, type MessageKey } from '../../i18n/messages-zh-cn';
import { createMaintenanceApi, workOrderQueryString } from './maintenance-api';
import { historyLine } from './maintenance-format';

describe('the maintenance API client', () => {
  it('builds the work-order query from the filters it is given', () => {
    expect(workOrderQueryString({})).toBe('');
    expect(workOrderQueryString({ status: 'openish', device: 'cnc 01', limit: 5 })).toBe('?status=openish&device=cnc+01&limit=5');
    expect(workOrderQueryString({ sourceRef: 'a/1' })).toBe('?sourceRef=a%2F1');
  });

  it('creates a work order from an alarm, moves it and writes notes on the paths docs/api.md names', async () => {
    const { fetch, calls } = fakeFetch(200, { id: 'w/1' });
    const m = createMaintenanceApi({ token: () => 'tok', fetch });
    await m.createOrder({ alarm: 'a1' });
    await m.setStatus('w/1', { status: 'done', resolution: '更换轴承' });
    await m.addNote('w/1', '外圈剥落');
    await m.history('cnc-01', { limit: 20 });
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'POST /api/v1/work-orders {"alarm":"a1"}',
      'POST /api/v1/work-orders/w%2F1/status {"status":"done","resolution":"更换轴承"}',
      'POST /api/v1/work-orders/w%2F1/notes {"text":"外圈剥落"}',
      'GET /api/v1/devices/cnc-01/history?limit=20 ',
    ]);
    expect((calls[0]?.init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('rejects a refused transition with its code and the allowed statuses', async () => {
    const body = { error: { code: 'WORK_ORDER_TRANSITION_INVALID', message: 'closed', details: { from: 'done', allowed: [] } } };
    const m = createMaintenanceApi({ token: () => null, fetch: fakeFetch(409, body).fetch });
    await expect(m.setStatus('w1', { status: 'in_progress' })).rejects.toMatchObject({ status: 409, code: 'WORK_ORDER_TRANSITION_INVALID', details: { allowed: [] } });
  });
});

describe('a device history line', () => {
  const t = (key: MessageKey): string => zhCN[key];
  const entry = (e: Partial<DeviceHistoryEntryDto>): DeviceHistoryEntryDto => ({ id: 'h', device: 'cnc-01', ts: '2026-11-29T08:00:00.000Z', kind: 'lifecycle', actor: null, from: null, to: null, reason: '', details: {}, ...e });

  it('names work-order steps, alarm steps and lifecycle moves in the console’s words', () => {
    expect(historyLine(entry({ kind: 'work_order', reason: '更换轴承', details: { step: 'done', title: '振动预警' } }), t)).toEqual({ key: 'history.workOrder.done', values: { title: '振动预警', text: '更换轴承' } });
    expect(historyLine(entry({ kind: 'alarm', reason: 'x', details: { step: 'acknowledged', ruleName: '振动预警' } }), t).key).toBe('history.alarm.acknowledged');
    expect(historyLine(entry({ kind: 'lifecycle', from: 'in_service', to: 'under_maintenance', reason: '工单' }), t)).toEqual({ key: 'history.lifecycle', values: { from: '在用', to: '维护中', text: '工单' } });
    // A state or kind this console does not know is shown as it came.
    expect(historyLine(entry({ kind: 'lifecycle', from: 'in_service', to: 'mothballed' }), t).values.to).toBe('mothballed');
    expect(historyLine(entry({ kind: 'inspection', reason: '点检正常' }), t)).toEqual({ key: 'history.inspection', values: { text: '点检正常' } });
    expect(historyLine(entry({ kind: 'calibration', reason: '校准' }), t)).toEqual({ key: 'history.other', values: { kind: 'calibration', text: '校准' } });
  });
});

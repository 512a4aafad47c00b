import { describe, expect, it } from 'vitest';
import { fakeFetch, headersOf } from '../../api/fake-fetch';
import { alarmQueryString, createAlarmApi } from './alarm-api';

describe('the alarm API client', () => {
  it('builds the list query from the filters it is given', () => {
    expect(alarmQueryString({})).toBe('');
    expect(alarmQueryString({ active: true, device: 'cnc 01', limit: 200 })).toBe('?active=true&device=cnc+01&limit=200');
    expect(alarmQueryString({ active: false })).toBe('?active=false');
  });

  it('lists alarms with the bearer token and reads the items', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [{ id: 'a1' }] });
    const alarms = createAlarmApi({ token: () => 'tok', fetch });
    expect(await alarms.listAlarms({ active: true })).toEqual([{ id: 'a1' }]);
    expect(calls[0]?.url).toBe('/api/v1/alarms?active=true');
    expect(headersOf(calls[0]?.init).authorization).toBe('Bearer tok');
  });

  it('acknowledges, assigns and comments on the paths docs/api.md names', async () => {
    const { fetch, calls } = fakeFetch(200, { id: 'a/1' });
    const alarms = createAlarmApi({ token: () => 'tok', fetch });
    await alarms.acknowledge('a/1');
    await alarms.assign('a/1', null);
    await alarms.addComment('a/1', '已处理');
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'POST /api/v1/alarms/a%2F1/ack ',
      'PUT /api/v1/alarms/a%2F1/assignee {"assignee":null}',
      'POST /api/v1/alarms/a%2F1/comments {"text":"已处理"}',
    ]);
  });

  it('rejects a refused rule with ALARM_RULE_INVALID and its field and position', async () => {
    const body = { error: { code: 'ALARM_RULE_INVALID', message: 'condition.expression: unexpected ">"', details: { field: 'condition.expression', position: 15 } } };
    const alarms = createAlarmApi({ token: () => 'tok', fetch: fakeFetch(400, body).fetch });
    await expect(alarms.createRule({ name: 'x', severity: 'major', condition: { kind: 'expression', expression: 'spindle_temp > > 80' } })).rejects.toMatchObject({
      status: 400,
      code: 'ALARM_RULE_INVALID',
      details: { field: 'condition.expression', position: 15 },
    });
  });
});

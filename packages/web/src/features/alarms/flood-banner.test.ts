import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { I18nProvider } from '../../i18n';
import { createAlarmApi } from './alarm-api';
import type { AlarmFlood } from './alarm-types';
import { FloodBanner } from './flood-banner';

const calm: AlarmFlood = {
  limit: 10,
  windowMinutes: 10,
  inFlood: false,
  count: 3,
  since: null,
  top: { devices: [{ device: 'cnc-01', count: 3 }], rules: [{ rule: 'r1', ruleName: '主轴过热', count: 3 }] },
  user: { username: 'demo-operator', inFlood: false, count: 3, since: null, held: 0, summaryAt: null },
};
const flooded: AlarmFlood = {
  ...calm,
  inFlood: true,
  count: 14,
  since: '2026-11-29T08:03:00.000Z',
  top: { devices: [{ device: 'cnc-01', count: 9 }, { device: 'cnc-02', count: 5 }], rules: [{ rule: 'r1', ruleName: '主轴过热', count: 14 }] },
  user: { username: 'demo-operator', inFlood: true, count: 14, since: '2026-11-29T08:03:00.000Z', held: 4, summaryAt: '2026-11-29T08:03:00.000Z' },
};
const render = (flood: AlarmFlood | undefined): string => renderToStaticMarkup(createElement(I18nProvider, null, createElement(FloodBanner, { flood })));

describe('the alarm flood banner', () => {
  it('says nothing while the enterprise is calm, or before the state is read', () => {
    expect(render(calm)).toBe('');
    expect(render(undefined)).toBe('');
  });

  it('says how many alarms in how long, the devices and rules raising most, and that the operator’s notifications are summed up', () => {
    const html = render(flooded);
    expect(html).toContain('role="alert"');
    expect(html).toContain('告警泛滥');
    expect(html).toContain('最近 10 分钟内有 14 条告警，超过 10 条');
    expect(html).toContain('cnc-01（9 条）、cnc-02（5 条）');
    expect(html).toContain('主轴过热（14 条）');
    expect(html).toContain('其余 4 条已暂缓发送');
    // The operator's own flood alone (the enterprise's count back under the limit) still shows.
    const own = render({ ...flooded, inFlood: false });
    expect(own).toContain('其余 4 条已暂缓发送');
    expect(own).not.toContain('告警最多的设备');
  });

  it('is read from GET /api/v1/alarms/flood', async () => {
    const { fetch, calls } = fakeFetch(200, flooded);
    expect(await createAlarmApi({ token: () => 'tok', fetch }).flood()).toEqual(flooded);
    expect(calls[0]?.url).toBe('/api/v1/alarms/flood');
  });
});

import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { channelConfigOf } from './channel-form';
import { createNotificationApi } from './notification-api';

describe('the notification API client', () => {
  it('calls the paths docs/api.md names, with the bearer token', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const n = createNotificationApi({ token: () => 'tok', fetch });
    await n.listChannels();
    await n.testChannel('c/1', 'op@plant.example');
    await n.listDeliveries('dead');
    await n.redrive('d1');
    await n.subscribe({ channel: 'c1', severities: ['critical'], sites: [] });
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'GET /api/v1/notifications/channels ',
      'POST /api/v1/notifications/channels/c%2F1/test {"address":"op@plant.example"}',
      'GET /api/v1/notifications/deliveries?status=dead ',
      'POST /api/v1/notifications/deliveries/d1/redrive ',
      'POST /api/v1/notifications/subscriptions {"channel":"c1","severities":["critical"],"sites":[]}',
    ]);
    expect((calls[0]?.init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('rejects with the server’s error code and field', async () => {
    const { fetch } = fakeFetch(400, { error: { code: 'NOTIFICATION_CHANNEL_INVALID', message: 'config.url: not a URL.', details: { field: 'config.url' } } });
    await expect(createNotificationApi({ token: () => 'tok', fetch }).createChannel({ name: 'x', config: { kind: 'wecom', url: 'x' } })).rejects.toMatchObject({ code: 'NOTIFICATION_CHANNEL_INVALID', details: { field: 'config.url' } });
  });

  it('builds each kind’s settings from the form, leaving empty optional ones out', () => {
    const draft = { name: 'n', url: ' https://robot/send ', secret: '', host: 'mail', port: '587', from: 'a@b', user: '', password: '' };
    expect(channelConfigOf({ ...draft, kind: 'webhook' })).toEqual({ kind: 'webhook', url: 'https://robot/send' });
    expect(channelConfigOf({ ...draft, kind: 'dingtalk', secret: 'SEC1' })).toEqual({ kind: 'dingtalk', url: 'https://robot/send', secret: 'SEC1' });
    expect(channelConfigOf({ ...draft, kind: 'email' })).toEqual({ kind: 'email', host: 'mail', port: 587, from: 'a@b' });
  });
});

import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Config, type Store, createLogger, createStore, storeBackends } from '@yulian/core';
import { type AlarmStore, createAlarmStore } from '@yulian/devices';
import { type NotificationService, startNotificationService } from '@yulian/server';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiver, waitFor } from './support/webhook-receiver.js';

const logger = createLogger({ level: 'silent' });
const t0 = Date.now();
const settings: Config['notifications'] = { retryBaseMs: 10, maxAttempts: 3, perDevice: 20, perRule: 100, perRecipient: 10 };
let seq = 0;
const raise = (o: { device?: string; rule?: string; severity?: string } = {}) => ({ tenantId: 'tenant-a', device: o.device ?? `cnc-${++seq}`, rule: o.rule ?? 'hot', ruleName: '主轴过热', severity: o.severity ?? 'major', at: t0 + ++seq, value: 86, reason: 'spindle_temp 86 > 80' });

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`alarm notifications on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let alarms: AlarmStore;
    let service: NotificationService | undefined;
    const closers: Array<() => Promise<void>> = [];
    const start = (s: Partial<Config['notifications']> = {}, on: Store = store): NotificationService => {
      service = startNotificationService({ store: on, logger, settings: { ...settings, ...s }, random: () => 0.5, pollMs: 20 });
      return service;
    };
    const deliveries = async (status?: string) => (await service!.deliveries.list({ kind: 'all' }, status ? { status: status as 'sent' } : {})).reverse();
    const outcomes = async () => (await store.db.selectFrom('alarm_events').select(['kind', 'outcome']).orderBy('at').execute()).map((e) => `${e.kind}:${e.outcome}`);

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      alarms = createAlarmStore(store);
    });
    afterEach(async () => {
      // Endpoints first: a hanging one's open request then ends at once instead of at its time limit.
      for (const c of closers.splice(0).reverse()) await c();
      await service?.close();
      service = undefined;
      await opened?.cleanup();
    });

    it('signs webhook bodies, tells each subscriber of the severities and sites they chose, once, and escalations to whom they name', async () => {
      const hook = await receiver();
      closers.push(hook.close);
      const n = start();
      const webhook = await n.channels.create('tenant-a', { name: '值班系统', config: { kind: 'webhook', url: `${hook.url}/alarms`, secret: 'hook-secret' } }, 'admin');
      expect(webhook).toMatchObject({ kind: 'webhook', secretSet: true, config: { url: `${hook.url}/alarms` } });
      expect(webhook.config).not.toHaveProperty('secret');
      await n.channels.subscribe('tenant-a', 'op1', { channel: webhook.id, severities: ['major'] });
      await n.channels.subscribe('tenant-a', 'op2', { channel: webhook.id, severities: ['major', 'critical'] });
      // A subscription limited to a site the device is not on hears nothing.
      const other = await n.channels.create('tenant-a', { name: '二厂', config: { kind: 'webhook', url: `${hook.url}/site-2` } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op3', { channel: other.id, sites: ['site-2'] });

      const major = await alarms.raise(raise({ severity: 'major' }));
      await alarms.raise(raise({ severity: 'minor' }));
      await n.drain();
      await waitFor('the webhook', async () => (hook.received.length >= 1 ? true : undefined));
      await n.drain();
      // One message for the channel, though two users subscribed to it.
      expect(hook.received).toHaveLength(1);
      const [got] = hook.received;
      expect(got!.url).toBe('/alarms');
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got!.headers['x-yulian-signature']))!;
      expect(createHmac('sha256', 'hook-secret').update(`${t}.${got!.body}`).digest('hex')).toBe(v1);
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(600);
      const body = JSON.parse(got!.body);
      expect(body).toMatchObject({ type: 'alarm.raised', event: { kind: 'raised', alarm: { id: major.alarm.id, severity: 'major', device: major.alarm.device } } });
      expect(await outcomes()).toEqual(['raised:notified', 'raised:no-recipients']);

      // An escalation goes to the users it names, whatever severities they chose.
      await n.channels.subscribe('tenant-a', 'eng1', { channel: other.id, severities: ['critical'] });
      await alarms.escalate(major.alarm.id, Date.now(), { recipients: ['eng1'] });
      await waitFor('the escalation', async () => (hook.received.some((r) => r.url === '/site-2') ? true : undefined));
      expect(JSON.parse(hook.received.find((r) => r.url === '/site-2')!.body)).toMatchObject({ type: 'alarm.escalated' });
    });

    it('tells a subscription limited to a site of an alarm of a device on that site, with the site named, and not one of another site', async () => {
      const hook = await receiver();
      closers.push(hook.close);
      const n = start();
      await store.db.insertInto('tenants').values({ id: 'tenant-a', name: '甲厂', code: 'TEST-A', district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
      const site = (id: string, name: string) => ({ id, tenant_id: 'tenant-a', parent_id: null, kind: 'site', code: id, name, description: '', lat: null, lon: null, plan_kind: 'none', plan_file_id: null, plan_rows: null, plan_cols: null, created_at: t0, updated_at: t0 });
      await store.db.insertInto('asset_nodes').values([site('site-1', '一厂区'), site('site-2', '二厂区')]).execute();
      const asset = (device: string, siteId: string) => ({ uid: `u-${device}`, tenant_id: 'tenant-a', device_id: device, name: device, site_id: siteId, area_id: null, x: null, y: null, lat: null, lon: null, lifecycle: 'in_service', lifecycle_since: t0, profile_id: null, serial: '', model: '', manufacturer: '', created_at: t0, updated_at: t0 });
      await store.db.insertInto('device_assets').values([asset('press-site-1', 'site-1'), asset('press-site-2', 'site-2')]).execute();
      const c = await n.channels.create('tenant-a', { name: '一厂区值班', config: { kind: 'webhook', url: `${hook.url}/site-1` } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op-site-1', { channel: c.id, sites: ['site-1'] });

      const mine = await alarms.raise(raise({ device: 'press-site-1' }));
      await alarms.raise(raise({ device: 'press-site-2' }));
      await n.drain();
      await waitFor('the alarm of the site', async () => (hook.received.length >= 1 ? true : undefined));
      await n.drain();
      expect(hook.received).toHaveLength(1);
      const body = JSON.parse(hook.received[0]!.body);
      expect(body).toMatchObject({ type: 'alarm.raised', event: { alarm: { id: mine.alarm.id, device: 'press-site-1' } } });
      expect((await deliveries())[0]).toMatchObject({ user: 'op-site-1', text: expect.stringContaining('press-site-1 (一厂区)') });
      expect(await outcomes()).toEqual(['raised:notified', 'raised:no-recipients']);
    });

    it('retries a failing endpoint with back-off until it is dead-lettered, re-drives it, and a hanging endpoint holds back no other', async () => {
      const failing = await receiver();
      const hanging = await receiver();
      const fine = await receiver();
      closers.push(failing.close, hanging.close, fine.close);
      failing.answer((_r, res) => res.writeHead(503).end('busy'));
      hanging.answer(() => undefined);
      const n = start();
      for (const [name, r] of [['failing', failing], ['hanging', hanging], ['fine', fine]] as const) {
        const c = await n.channels.create('tenant-a', { name, config: { kind: 'webhook', url: r.url } }, 'admin');
        await n.channels.subscribe('tenant-a', `user-${name}`, { channel: c.id });
      }
      await alarms.raise(raise());
      // The fine endpoint is served while the hanging one still has its first attempt open.
      await waitFor('the fine endpoint', async () => (fine.received.length === 1 ? true : undefined));
      const dead = await waitFor('the dead letter', async () => (await deliveries('dead'))[0]);
      expect(dead).toMatchObject({ attempts: 3, lastError: expect.stringContaining('HTTP 503') });
      expect(failing.received).toHaveLength(3);
      expect(hanging.received).toHaveLength(1);
      const hangingChannel = (await n.channels.list({ kind: 'all' })).find((c) => c.name === 'hanging')!;
      expect((await deliveries()).find((d) => d.channel === hangingChannel.id)).toMatchObject({ status: 'pending', attempts: 0 });

      // Re-driven once the endpoint is back: sent, attempts from zero.
      failing.answer((_r, res) => res.end('ok'));
      await n.deliveries.redrive({ kind: 'tenant', tenantId: 'tenant-a' }, dead.id);
      n.kick();
      await waitFor('the re-driven delivery', async () => ((await deliveries('sent')).some((d) => d.id === dead.id) ? true : undefined));
      expect(failing.received).toHaveLength(4);
      await expect(n.deliveries.redrive({ kind: 'all' }, dead.id)).rejects.toMatchObject({ code: 'NOTIFICATION_DELIVERY_NOT_FOUND' });
    });

    it('lets a hanging endpoint with a backlog hold only its own share of the open sends', async () => {
      const hanging = await receiver();
      const fine = await receiver();
      closers.push(hanging.close, fine.close);
      hanging.answer(() => undefined);
      // No flood limit in the way: 60 alarms, each its own device, all for the hanging endpoint.
      const n = start({ perRecipient: 1000, perRule: 1000 });
      const slow = await n.channels.create('tenant-a', { name: 'hanging', config: { kind: 'webhook', url: hanging.url } }, 'admin');
      await n.channels.subscribe('tenant-a', 'user-hanging', { channel: slow.id });
      for (let i = 0; i < 60; i++) await alarms.raise(raise({ rule: 'backlog' }));
      await waitFor('the 60 deliveries', async () => ((await deliveries()).length === 60 ? true : undefined));
      await waitFor('the hanging endpoint’s share of open sends', async () => (hanging.received.length >= 8 ? true : undefined));
      // Then another channel's alarm: sent at once, while every request to the hanging endpoint is still open
      // (with one pool for all, its 60 would have taken all 50 places until the 10 s time limit).
      const ok = await n.channels.create('tenant-a', { name: 'fine', config: { kind: 'webhook', url: fine.url } }, 'admin');
      await n.channels.subscribe('tenant-a', 'user-fine', { channel: ok.id });
      await alarms.raise(raise({ rule: 'other' }));
      n.kick();
      await waitFor('the fine endpoint', async () => (fine.received.length === 1 ? true : undefined), 8_000);
      expect(hanging.received).toHaveLength(8);
      expect((await deliveries()).filter((d) => d.channel === slow.id && d.attempts > 0)).toHaveLength(0);
    });

    it('posts WeCom and DingTalk robot markdown, DingTalk signed, and records a robot’s refusal', async () => {
      const robots = await receiver();
      closers.push(robots.close);
      robots.answer((r, res) => res.end(r.url.startsWith('/refuse') ? '{"errcode":310000,"errmsg":"keywords not in content"}' : '{"errcode":0,"errmsg":"ok"}'));
      const n = start({ maxAttempts: 1 });
      const wecom = await n.channels.create('tenant-a', { name: '企业微信群', config: { kind: 'wecom', url: `${robots.url}/cgi-bin/webhook/send?key=k1` } }, 'admin');
      const ding = await n.channels.create('tenant-a', { name: '钉钉群', config: { kind: 'dingtalk', url: `${robots.url}/robot/send?access_token=t1`, secret: 'SECabc' } }, 'admin');
      const refusing = await n.channels.create('tenant-a', { name: 'refuses', config: { kind: 'dingtalk', url: `${robots.url}/refuse` } }, 'admin');
      for (const c of [wecom, ding, refusing]) await n.channels.subscribe('tenant-a', 'op1', { channel: c.id });
      const { alarm } = await alarms.raise(raise({ severity: 'critical' }));
      await waitFor('three robot posts', async () => (robots.received.length === 3 ? true : undefined));
      await n.drain();

      const we = robots.received.find((r) => r.url.startsWith('/cgi-bin'))!;
      const weBody = JSON.parse(we.body);
      expect(Object.keys(weBody)).toEqual(['msgtype', 'markdown']);
      expect(weBody.msgtype).toBe('markdown');
      expect(weBody.markdown.content).toContain(alarm.device);
      expect(weBody.markdown.content).toContain('紧急');

      const dt = robots.received.find((r) => r.url.startsWith('/robot'))!;
      const dtBody = JSON.parse(dt.body);
      expect(dtBody).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining(alarm.device), text: expect.stringContaining('主轴过热') } });
      const q = new URL(dt.url, robots.url).searchParams;
      expect(q.get('access_token')).toBe('t1');
      const ts = q.get('timestamp')!;
      expect(q.get('sign')).toBe(createHmac('sha256', 'SECabc').update(`${ts}\nSECabc`).digest('base64'));

      const refused = (await deliveries('dead'))[0];
      expect(refused).toMatchObject({ channel: refusing.id, lastError: expect.stringContaining('errcode 310000') });
      expect((await deliveries('sent')).map((d) => d.channel).sort()).toEqual([wecom.id, ding.id].sort());
    });

    it('mails each subscriber over SMTP', async () => {
      const mails: Array<{ from: string; to: string[]; data: string }> = [];
      const smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          let data = '';
          stream.on('data', (c: Buffer) => (data += c.toString()));
          stream.on('end', () => {
            mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
      const port = (smtp.server.address() as AddressInfo).port;
      const n = start();
      const mail = await n.channels.create('tenant-a', { name: '邮件', config: { kind: 'email', host: '127.0.0.1', port, from: 'alarms@plant.example' } }, 'admin');
      await expect(n.channels.subscribe('tenant-a', 'op1', { channel: mail.id })).rejects.toMatchObject({ code: 'NOTIFICATION_CHANNEL_INVALID', details: { field: 'address' } });
      await n.channels.subscribe('tenant-a', 'op1', { channel: mail.id, address: 'op1@plant.example' });
      await n.channels.subscribe('tenant-a', 'op2', { channel: mail.id, address: 'op2@plant.example' });
      const { alarm } = await alarms.raise(raise());
      await waitFor('two mails', async () => (mails.length === 2 ? true : undefined));
      expect(mails.map((m) => m.to[0]).sort()).toEqual(['op1@plant.example', 'op2@plant.example']);
      expect(mails[0]!.from).toBe('alarms@plant.example');
      expect(mails[0]!.data).toContain(alarm.device);
      expect(mails[0]!.data).toMatch(/^Subject: /m);
    });

    it('turns more than the limit of notifications for one user into one flood summary, and limits one device', async () => {
      const hook = await receiver();
      closers.push(hook.close);
      const n = start({ perRecipient: 10, perDevice: 2 });
      const c = await n.channels.create('tenant-a', { name: 'hook', config: { kind: 'webhook', url: hook.url } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op1', { channel: c.id });
      // Three rules on one device: the third is over the device's limit.
      for (const rule of ['r1', 'r2', 'r3']) await alarms.raise(raise({ device: 'press-01', rule }));
      await n.drain();
      expect(await outcomes()).toEqual(['raised:notified', 'raised:notified', 'raised:rate-limited:device']);
      // Ten more devices: the recipient reaches ten, then gets one flood summary and nothing more.
      for (let i = 0; i < 11; i++) await alarms.raise(raise());
      await n.drain();
      await waitFor('the flood summary', async () => (hook.received.length === 11 ? true : undefined));
      await n.drain();
      const types = hook.received.map((r) => JSON.parse(r.body).type as string);
      expect(types.filter((t) => t === 'alarm.raised')).toHaveLength(10);
      expect(types.filter((t) => t === 'alarm.flood')).toHaveLength(1);
      expect(await deliveries('flooded')).toHaveLength(3);
    });

    it('tells nobody of a suppressed or shelved alarm, but every listener of every event', async () => {
      const hook = await receiver();
      closers.push(hook.close);
      const n = start();
      const heard: string[] = [];
      n.onEvent((_t, e) => heard.push(`${e.kind}${e.quiet ? `(${e.quiet})` : ''}`));
      const c = await n.channels.create('tenant-a', { name: 'hook', config: { kind: 'webhook', url: hook.url } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op1', { channel: c.id });
      await store.db.insertInto('tenants').values({ id: 'tenant-a', name: '甲厂', code: 'TEST-A', district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
      await store.db
        .insertInto('device_assets')
        .values({ uid: 'u1', tenant_id: 'tenant-a', device_id: 'cnc-maint', name: 'cnc', site_id: null, area_id: null, x: null, y: null, lat: null, lon: null, lifecycle: 'under_maintenance', lifecycle_since: t0, profile_id: null, serial: '', model: '', manufacturer: '', created_at: t0, updated_at: t0 })
        .execute();
      await alarms.raise(raise({ device: 'cnc-maint' }));
      const { alarm } = await alarms.raise(raise({ device: 'cnc-shelf' }));
      await n.drain();
      await alarms.shelve({ kind: 'all' }, alarm.id, { user: 'op1', until: Date.now() + 60_000, reason: '已知问题', at: Date.now() });
      await alarms.clear({ device: 'cnc-shelf', rule: 'hot', at: Date.now() + 1 });
      await alarms.raise({ ...raise({ device: 'cnc-shelf' }), at: Date.now() + 2 });
      await n.drain();
      expect(heard).toEqual(['raised(suppressed)', 'raised', 'shelved(shelved)', 'cleared(shelved)', 'raised(shelved)']);
      await waitFor('the one loud alarm', async () => (hook.received.length === 1 ? true : undefined));
      await n.drain();
      expect(hook.received).toHaveLength(1);
      expect(await outcomes()).toEqual(['raised:quiet:suppressed', 'raised:notified', 'shelved:quiet:shelved', 'cleared:quiet:shelved', 'raised:quiet:shelved']);
    });

    it('loses no notification across a restart and sends none twice', async () => {
      // The endpoint is down: its port is free while the platform runs.
      const probe = await receiver();
      const port = probe.port;
      await probe.close();
      // Many attempts allowed: on a loaded machine several retries may pass before the probe looks, and none may dead-letter.
      const n = start({ retryBaseMs: 50, maxAttempts: 20 });
      const c = await n.channels.create('tenant-a', { name: 'hook', config: { kind: 'webhook', url: `http://127.0.0.1:${port}/in` } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op1', { channel: c.id });
      await alarms.raise(raise());
      await waitFor('a failed first attempt', async () => (((await deliveries('pending'))[0]?.attempts ?? 0) >= 1 ? true : undefined));
      await n.close();
      service = undefined;
      // An alarm raised while nothing dispatches waits in the outbox.
      await alarms.raise(raise());
      await store.close();

      // Restart: a new store connection and a new service; the endpoint is back.
      const hook = await receiver(port);
      closers.push(hook.close);
      const reopened = await createStore({ url: opened.url, dataDir: opened.dataDir });
      closers.push(() => reopened.close());
      store = reopened;
      const again = start({ retryBaseMs: 50, maxAttempts: 20 }, reopened);
      await waitFor('both notifications', async () => ((await again.deliveries.list({ kind: 'all' }, { status: 'sent' })).length === 2 ? true : undefined));
      await again.drain();
      await new Promise((r) => setTimeout(r, 300));
      await again.drain();
      expect(hook.received).toHaveLength(2);
      expect(new Set(hook.received.map((r) => JSON.parse(r.body).event.id)).size).toBe(2);
    });
  });
}

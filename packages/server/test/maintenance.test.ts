import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('maintenance work orders and preventive schedules on the demo plant', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;

  beforeAll(async () => {
    platform = await startDemoPlatform('maintenance');
    call = demoApi(platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const lifecycleOf = async (device: string): Promise<string> => (await call('GET', `/api/v1/devices/${device}/asset`, 'demo-operator')).json.lifecycle;

  it('turns an alarm into one work order, takes the device out of service while it is worked and back when it is done, and tells it all in the device’s history', async () => {
    const rule = (await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '维护测试报警', severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 }, device: 'cnc-02' })).json;
    const alarm = await waitFor('the alarm of cnc-02', async () => ((await call('GET', '/api/v1/alarms?active=true&device=cnc-02', 'demo-operator')).json.items as Json[]).find((a) => a.rule === rule.id));
    expect((await call('POST', `/api/v1/alarms/${alarm.id}/ack`, 'demo-operator')).status).toBe(200);
    expect(await lifecycleOf('cnc-02')).toBe('in_service');

    // The analyst may read but not open work orders.
    expect((await call('POST', '/api/v1/work-orders', 'demo-analyst', { alarm: alarm.id })).status).toBe(403);
    const created = await call('POST', '/api/v1/work-orders', 'demo-operator', { alarm: alarm.id, assignee: 'demo-engineer' });
    expect(created.status).toBe(201);
    const order = created.json;
    expect(order).toMatchObject({ device: 'cnc-02', source: 'alarm', sourceRef: alarm.id, title: '维护测试报警', priority: 'high', status: 'open', assignee: 'demo-engineer', createdBy: 'demo-operator', maintenance: false });
    // Two operators pressing the button get the same work order.
    const again = await Promise.all(['demo-engineer', 'demo-operator', 'demo-admin', 'demo-engineer'].map((u) => call('POST', '/api/v1/work-orders', u, { alarm: alarm.id })));
    expect(again.map((r) => [r.status, r.json.id])).toEqual(again.map(() => [200, order.id]));
    expect((await call('GET', `/api/v1/work-orders?sourceRef=${alarm.id}`, 'demo-analyst')).json.items.map((o: Json) => o.id)).toEqual([order.id]);
    // The alarm says so in its comments.
    expect((await call('GET', `/api/v1/alarms/${alarm.id}/comments`, 'demo-operator')).json.items.some((c: Json) => c.text.includes(order.id))).toBe(true);

    const started = await call('POST', `/api/v1/work-orders/${order.id}/status`, 'demo-engineer', { status: 'in_progress' });
    expect(started.json).toMatchObject({ status: 'in_progress', maintenance: true });
    expect(started.json.startedAt).toBeTruthy();
    expect(await lifecycleOf('cnc-02')).toBe('under_maintenance');
    expect((await call('POST', `/api/v1/work-orders/${order.id}/notes`, 'demo-engineer', { text: '更换主轴轴承 Replaced the spindle bearing' })).status).toBe(201);
    const done = await call('POST', `/api/v1/work-orders/${order.id}/status`, 'demo-engineer', { status: 'done', resolution: '轴承外圈剥落，已更换' });
    expect(done.json).toMatchObject({ status: 'done', resolution: '轴承外圈剥落，已更换' });
    expect(await lifecycleOf('cnc-02')).toBe('in_service');
    // Closed is closed.
    const reopen = await call('POST', `/api/v1/work-orders/${order.id}/status`, 'demo-engineer', { status: 'in_progress' });
    expect(reopen.status).toBe(409);
    expect(reopen.json.error).toMatchObject({ code: 'WORK_ORDER_TRANSITION_INVALID', details: { from: 'done', allowed: [] } });
    expect((await call('PATCH', `/api/v1/work-orders/${order.id}`, 'demo-engineer', { title: 'x' })).json.error.code).toBe('WORK_ORDER_CLOSED');

    // The history, oldest first: alarm raised and acknowledged, work order created, started (device under
    // maintenance), note, done (device back in service).
    const history = ((await call('GET', '/api/v1/devices/cnc-02/history?limit=50', 'demo-operator')).json.items as Json[]).reverse();
    const story = history
      .filter((e) => (e.kind === 'alarm' && e.details.alarm === alarm.id) || (e.kind === 'work_order' && e.details.workOrder === order.id) || e.kind === 'lifecycle')
      .map((e) => (e.kind === 'lifecycle' ? `lifecycle:${e.to}` : `${e.kind}:${e.details.step}`));
    expect(story).toEqual(['alarm:raised', 'alarm:acknowledged', 'work_order:created', 'work_order:started', 'lifecycle:under_maintenance', 'work_order:note', 'work_order:done', 'lifecycle:in_service']);
    expect((await call('GET', '/api/v1/devices/cnc-02/history?kind=work_order', 'demo-operator')).json.items.every((e: Json) => e.kind === 'work_order')).toBe(true);
    await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer');
  });

  it('makes one work order of an alarm however many ask at once', async () => {
    const rule = (await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '并发工单测试', severity: 'critical', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 }, device: 'cnc-04' })).json;
    const alarm = await waitFor('the alarm of cnc-04', async () => ((await call('GET', '/api/v1/alarms?active=true&device=cnc-04', 'demo-operator')).json.items as Json[]).find((a) => a.rule === rule.id));
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', '/api/v1/work-orders', i % 2 ? 'demo-operator' : 'demo-engineer', { alarm: alarm.id })));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((r) => r.json.id)).size).toBe(1);
    expect(answers[0]!.json).toMatchObject({ priority: 'urgent', source: 'alarm' });
    expect((await call('GET', `/api/v1/devices/cnc-04/history?kind=work_order`, 'demo-operator')).json.items.filter((e: Json) => e.details.step === 'created' && e.details.sourceRef === alarm.id)).toHaveLength(1);
    await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer');
  });

  it('records a work order from a prediction with its source and reference, once per prediction, and shows it in the device’s history', async () => {
    const ref = `rul:cnc-06:bearing:${Date.now()}`;
    const body = { device: 'cnc-06', title: '主轴轴承剩余寿命不足 Spindle bearing RUL below 30 days', source: 'prediction', sourceRef: ref, priority: 'high', description: 'RUL 21 d (P10 12 d)' };
    const created = await call('POST', '/api/v1/work-orders', 'demo-operator', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ device: 'cnc-06', source: 'prediction', sourceRef: ref, priority: 'high', status: 'open', createdBy: 'demo-operator', description: 'RUL 21 d (P10 12 d)' });
    // The same prediction asked again (another click, another process) answers the same work order.
    const again = await call('POST', '/api/v1/work-orders', 'demo-engineer', body);
    expect([again.status, again.json.id]).toEqual([200, created.json.id]);
    expect((await call('GET', `/api/v1/work-orders?source=prediction&sourceRef=${encodeURIComponent(ref)}`, 'demo-analyst')).json.items.map((o: Json) => o.id)).toEqual([created.json.id]);
    const history = (await call('GET', '/api/v1/devices/cnc-06/history?kind=work_order', 'demo-operator')).json.items as Json[];
    expect(history.filter((e) => e.details.workOrder === created.json.id)).toMatchObject([{ kind: 'work_order', details: { step: 'created', source: 'prediction', sourceRef: ref, title: body.title } }]);
  });

  it('suppresses the alarms of a device put under maintenance through the API (recorded and flagged, notifying nobody) and notifies again once it is back in service', async () => {
    const received: Json[] = [];
    const server: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(text));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const channel = (await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: '维护抑制测试', config: { kind: 'webhook', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/m` } })).json;
      expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-operator', { channel: channel.id, severities: ['minor'] })).status).toBe(201);
      const lifecycle = (to: string, reason: string) => call('POST', '/api/v1/devices/cnc-05/lifecycle', 'demo-engineer', { to, reason });
      expect((await lifecycle('under_maintenance', '更换刀库 Tool changer replaced')).status).toBe(200);
      expect(await lifecycleOf('cnc-05')).toBe('under_maintenance');

      // Every running CNC machine has a spindle temperature above -50 °C: the rule holds at once.
      const input = { name: '维护抑制测试', severity: 'minor', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 }, device: 'cnc-05' };
      const rule = (await call('POST', '/api/v1/alarm-rules', 'demo-engineer', input)).json;
      const quiet = await waitFor('the alarm of cnc-05', async () => ((await call('GET', '/api/v1/alarms?active=true&device=cnc-05', 'demo-operator')).json.items as Json[]).find((a) => a.rule === rule.id));
      expect(quiet).toMatchObject({ device: 'cnc-05', suppressed: true, state: 'active_unack', active: true });
      expect((await call('GET', `/api/v1/alarms/${quiet.id}/events`, 'demo-operator')).json.items).toMatchObject([{ kind: 'raised', quiet: 'suppressed' }]);

      // Back in service; the rule changed, so it decides afresh: a new alarm, not suppressed, and notified.
      expect((await lifecycle('in_service', '完工 Done')).status).toBe(200);
      expect((await call('PUT', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer', { ...input, condition: { ...input.condition, value: -60 } })).status).toBe(200);
      const loud = await waitFor('the alarm raised in service', async () => ((await call('GET', '/api/v1/alarms?active=true&device=cnc-05', 'demo-operator')).json.items as Json[]).find((a) => a.rule === rule.id && a.id !== quiet.id));
      expect(loud).toMatchObject({ suppressed: false, state: 'active_unack' });
      expect((await call('GET', `/api/v1/alarms/${quiet.id}`, 'demo-operator')).json).toMatchObject({ active: false, suppressed: true });
      await waitFor('the notification of the alarm raised in service', async () => received.find((m) => m.event?.alarm?.id === loud.id));
      // Dispatched in order: the suppressed one, raised earlier, was never sent.
      expect(received.filter((m) => m.event?.alarm?.id === quiet.id)).toEqual([]);
      await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer');
      await call('DELETE', `/api/v1/notifications/channels/${channel.id}`, 'demo-engineer');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lists who a work order can go to for everyone who works on them: the enterprise’s enabled operators, engineers and admins', async () => {
    const listed = await call('GET', '/api/v1/work-orders/assignees', 'demo-operator');
    expect(listed.status).toBe(200);
    const names = (listed.json.items as Json[]).map((a) => a.username);
    expect(names).toEqual(expect.arrayContaining(['demo-admin', 'demo-engineer', 'demo-operator']));
    // A security analyst cannot work on work orders, so is not offered, and may not ask.
    expect(names).not.toContain('demo-analyst');
    expect(listed.json.items.find((a: Json) => a.username === 'demo-operator')).toMatchObject({ displayName: '值班操作员 李师傅', role: 'operator' });
    expect(new Set((listed.json.items as Json[]).map((a) => a.tenantId)).size).toBe(1);
    expect((await call('GET', '/api/v1/work-orders/assignees', 'demo-analyst')).status).toBe(403);
  });

  it('opens work orders by hand and refuses what is incomplete or unknown', async () => {
    const noDevice = await call('POST', '/api/v1/work-orders', 'demo-operator', { title: '检查' });
    expect(noDevice.status).toBe(400);
    expect(noDevice.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'device' } });
    expect((await call('POST', '/api/v1/work-orders', 'demo-operator', { device: 'no-such-device', title: '检查' })).json.error.code).toBe('DEVICE_NOT_FOUND');
    expect((await call('POST', '/api/v1/work-orders', 'demo-operator', { alarm: 'no-such-alarm' })).json.error.code).toBe('ALARM_NOT_FOUND');
    expect((await call('GET', '/api/v1/work-orders/nope', 'demo-operator')).json.error.code).toBe('WORK_ORDER_NOT_FOUND');
    const manual = await call('POST', '/api/v1/work-orders', 'demo-operator', { device: 'compressor-01', title: '异响检查 Check the noise', priority: 'urgent' });
    expect(manual.json).toMatchObject({ source: 'manual', sourceRef: null, priority: 'urgent', status: 'open' });
    // Done straight from open (a quick fix without taking the device out of service).
    const done = await call('POST', `/api/v1/work-orders/${manual.json.id}/status`, 'demo-operator', { status: 'done', resolution: '紧固螺栓' });
    expect(done.json).toMatchObject({ status: 'done', maintenance: false });
    expect(await lifecycleOf('compressor-01')).toBe('in_service');
  });

  it('issues preventive work orders by calendar and by run hours, one open at a time, counting the next interval from the service', async () => {
    expect((await call('POST', '/api/v1/maintenance-schedules', 'demo-operator', { device: 'cnc-03', title: 'x', kind: 'calendar', every: 30 })).status).toBe(403);
    const badHours = await call('POST', '/api/v1/maintenance-schedules', 'demo-engineer', { device: 'compressor-02', title: 'x', kind: 'run_hours', every: 500 });
    expect(badHours.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'runHoursPoint' } });

    // Started 31 days ago, every 30 days: due now.
    const calendar = (await call('POST', '/api/v1/maintenance-schedules', 'demo-engineer', { device: 'cnc-03', title: '月度保养 Monthly service', kind: 'calendar', every: 30, startAt: new Date(Date.now() - 31 * 86_400_000).toISOString(), assignee: 'demo-operator' })).json;
    expect(Date.parse(calendar.nextDueAt)).toBeLessThan(Date.now());
    // Every 1,000 run hours, issued 1,000 hours early: due as soon as the counter has been read once.
    const hours = (await call('POST', '/api/v1/maintenance-schedules', 'demo-engineer', { device: 'compressor-02', title: '换油 Oil change', kind: 'run_hours', every: 1000, lead: 1000, runHoursPoint: 'run_hours' })).json;
    await waitFor('a run-hours reading of compressor-02', async () => ((await call('GET', `/api/v1/maintenance-schedules/${hours.id}`, 'demo-engineer')).json.nextDueHours === null ? ((await call('POST', '/api/v1/maintenance-schedules/run', 'demo-engineer')), undefined) : true));

    const issued = (await call('POST', '/api/v1/maintenance-schedules/run', 'demo-engineer')).json.items as Json[];
    const monthly = issued.find((o) => o.sourceRef === `${calendar.id}#1`);
    const oil = issued.find((o) => o.sourceRef === `${hours.id}#1`);
    expect(monthly).toMatchObject({ device: 'cnc-03', source: 'schedule', title: '月度保养 Monthly service', assignee: 'demo-operator', status: 'open' });
    expect(oil).toMatchObject({ device: 'compressor-02', source: 'schedule', title: '换油 Oil change' });
    // While they are open nothing more is issued.
    expect((await call('POST', '/api/v1/maintenance-schedules/run', 'demo-engineer')).json.items.filter((o: Json) => o.sourceRef?.startsWith(calendar.id))).toEqual([]);

    await call('POST', `/api/v1/work-orders/${monthly.id}/status`, 'demo-operator', { status: 'done' });
    const after = (await call('GET', `/api/v1/maintenance-schedules/${calendar.id}`, 'demo-engineer')).json;
    expect(after.issued).toBe(1);
    // The next one is due 30 days after this service.
    expect(Math.abs(Date.parse(after.nextDueAt) - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    expect((await call('POST', '/api/v1/maintenance-schedules/run', 'demo-engineer')).json.items.filter((o: Json) => o.sourceRef?.startsWith(calendar.id))).toEqual([]);
    expect((await call('DELETE', `/api/v1/maintenance-schedules/${calendar.id}`, 'demo-engineer')).status).toBe(200);
    expect((await call('GET', `/api/v1/maintenance-schedules/${calendar.id}`, 'demo-engineer')).json.error.code).toBe('MAINTENANCE_SCHEDULE_NOT_FOUND');
  });
});

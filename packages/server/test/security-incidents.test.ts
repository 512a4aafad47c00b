import { createHash } from 'node:crypto';
import { sm3 } from '@yulian/core';
import { type TestPlatform, demoApi, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: TestPlatform;
let call: ReturnType<typeof demoApi>;
let tenantId: string;
let seq = 0;
const base = '/api/v1/security/incidents';
const closure = { summary: '非授权主机写入 CNC 主轴转速设定', rootCause: '工程师站未设访问控制', actions: '封禁来源 IP，恢复设定值', lessons: '启用写白名单与基线告警' };

/** A security event as the detection pipeline hands it over. */
const event = (o: Record<string, unknown> = {}) => ({
  id: `evt-${Date.now()}-${++seq}`,
  tenantId,
  ts: Date.now(),
  ruleId: 100_210,
  level: 13,
  title: '非授权主机写寄存器',
  titleEn: 'Register write from an unauthorised host',
  techniques: ['T0855'],
  tactic: 'impair-process-control',
  source: { ip: '192.168.50.66', port: 50_123 },
  target: { ip: '127.0.0.1', port: 502, deviceId: 'cnc-01' },
  details: {},
  count: 1,
  groupKey: 'x',
  status: 'new' as const,
  response: null,
  ...o,
});

beforeAll(async () => {
  platform = await startDemoPlatform('security-incidents');
  call = demoApi(platform);
  tenantId = (await call('GET', '/api/v1/auth/me', 'demo-analyst')).json.tenantId as string;
});
afterAll(async () => platform?.close());

describe('security incidents over the API', () => {
  it('opens one incident for an attack burst from the event pipeline, seen by the enterprise and the authority only', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await platform.incidents.openFromEvent(event({ ts: Date.now() + i })));
    expect(results.map((r) => r.outcome)).toEqual(['opened', 'joined', 'joined', 'joined', 'joined']);
    expect((await platform.incidents.openFromEvent(event({ level: 8, source: { ip: '192.168.50.67' } }))).outcome).toBe('ignored');
    const id = results[0]!.incident!.id;

    const list = await call('GET', base, 'demo-analyst');
    expect(list.status).toBe(200);
    const mine = list.json.items.find((i: { id: string }) => i.id === id);
    expect(mine).toMatchObject({ eventCount: 5, kind: 'real', status: 'open', planId: 'builtin:unauthorized-command', sources: ['192.168.50.66'], assets: ['cnc-01'] });
    expect((await call('GET', `${base}/${id}/events`, 'demo-analyst')).json.items).toHaveLength(5);
    expect((await call('GET', `${base}/${id}/tasks`, 'demo-admin')).json.items.length).toBeGreaterThan(0);

    // Another enterprise does not see it; the authority reads it but changes nothing; an operator sees nothing.
    expect((await call('GET', `${base}/${id}`, 'demo2-admin')).json.error.code).toBe('INCIDENT_NOT_FOUND');
    expect((await call('GET', `${base}/${id}`, 'demo-authority')).status).toBe(200);
    const denied = await call('POST', `${base}/${id}/comments`, 'demo-authority', { text: '请尽快处置' });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('FORBIDDEN');
    expect((await call('GET', base, 'demo-operator')).status).toBe(403);
    expect((await call('POST', base, 'demo-engineer', { title: 'x' })).status).toBe(403);
  });

  it('works an incident to closure: status, tasks, comments, evidence with SM3, closure report required', async () => {
    const created = await call('POST', base, 'demo-analyst', { title: '可疑 PLC 程序上传', severity: 'high', techniques: ['T0845'], sources: ['10.9.9.9'] });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json.number).toMatch(/^INC-\d{4}-\d{4}$/);
    expect(created.json.openedBy).toBe('demo-analyst');

    expect((await call('POST', `${base}/${id}/plan`, 'demo-analyst', { planId: 'builtin:data-exfiltration' })).json.tasks.total).toBe(4);
    const tasks = (await call('GET', `${base}/${id}/tasks`, 'demo-analyst')).json.items as Array<{ id: string }>;
    const doing = await call('PATCH', `${base}/${id}/tasks/${tasks[0]!.id}`, 'demo-analyst', { status: 'doing', assignee: 'demo-analyst' });
    expect(doing.json).toMatchObject({ status: 'doing', assignee: 'demo-analyst' });
    const done = await call('PATCH', `${base}/${id}/tasks/${tasks[0]!.id}`, 'demo-analyst', { status: 'done', note: '范围：配方参数' });
    expect(done.json.status).toBe('done');
    expect(done.json.durationMs).toBeGreaterThanOrEqual(0);
    expect((await call('POST', `${base}/${id}/comments`, 'demo-admin', { text: '已通知厂长' })).status).toBe(201);
    expect((await call('PATCH', `${base}/${id}`, 'demo-admin', { owner: 'demo-analyst' })).json.owner).toBe('demo-analyst');

    const bytes = Buffer.from('modbus write capture');
    const ev = await call('POST', `${base}/${id}/evidence`, 'demo-analyst', { kind: 'file', title: '抓包文件', fileName: '攻击.pcap', content: bytes.toString('base64') });
    expect(ev.status).toBe(201);
    expect(ev.json).toMatchObject({ stored: true, size: bytes.length, sm3: sm3(bytes).toString('hex') });
    const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-analyst', password: 'demo-Passw0rd' } });
    const file = await platform.app.inject({ url: `${base}/${id}/evidence/${ev.json.id}/content`, headers: { authorization: `Bearer ${login.json().token}` } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['x-content-sm3']).toBe(sm3(bytes).toString('hex'));
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    const bad = await call('POST', `${base}/${id}/evidence`, 'demo-analyst', { kind: 'file', title: 'x', fileName: 'x.bin', sm3: 'not-hex' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INCIDENT_EVIDENCE_INVALID');

    const skip = await call('POST', `${base}/${id}/status`, 'demo-analyst', { status: 'closed', closure });
    expect(skip.status).toBe(409);
    expect(skip.json.error.code).toBe('INCIDENT_TRANSITION_INVALID');
    for (const status of ['investigating', 'contained', 'resolved']) expect((await call('POST', `${base}/${id}/status`, 'demo-analyst', { status })).json.status).toBe(status);
    const noReport = await call('POST', `${base}/${id}/status`, 'demo-analyst', { status: 'closed' });
    expect(noReport.status).toBe(400);
    expect(noReport.json.error.code).toBe('INCIDENT_CLOSURE_REQUIRED');
    const partial = await call('POST', `${base}/${id}/status`, 'demo-analyst', { status: 'closed', closure: { summary: 'x' } });
    expect(partial.status).toBe(400);
    const closedAnswer = await call('POST', `${base}/${id}/status`, 'demo-analyst', { status: 'closed', closure });
    expect(closedAnswer.json).toMatchObject({ status: 'closed', closure, closedBy: 'demo-analyst' });
    expect((await call('POST', `${base}/${id}/comments`, 'demo-analyst', { text: 'late' })).json.error.code).toBe('INCIDENT_CLOSED');

    const timeline = (await call('GET', `${base}/${id}/timeline`, 'demo-authority')).json.items as Array<{ kind: string; actor: string | null }>;
    expect(timeline.map((e) => e.kind)).toEqual(['opened', 'plan', 'task', 'task', 'comment', 'owner', 'evidence', 'status', 'status', 'status', 'closed']);
    const audit = await call('GET', `/api/v1/audit?action=security.incident.status`, 'demo-admin');
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.json)).toContain(id);
  });

  it('runs a drill apart from real incidents and counts them apart', async () => {
    const before = (await call('GET', `${base}/counts`, 'demo-analyst')).json;
    const noPlan = await call('POST', base, 'demo-analyst', { kind: 'drill' });
    expect(noPlan.status).toBe(400);
    const drill = await call('POST', base, 'demo-analyst', { kind: 'drill', planId: 'builtin:ransomware' });
    expect(drill.status).toBe(201);
    expect(drill.json).toMatchObject({ kind: 'drill', title: '演练：勒索软件处置预案', drill: { finishedAt: null } });
    expect(drill.json.number).toMatch(/^DRL-/);
    expect((await call('GET', base, 'demo-analyst')).json.items.some((i: { id: string }) => i.id === drill.json.id)).toBe(false);
    expect((await call('GET', `${base}?kind=drill`, 'demo-analyst')).json.items.map((i: { id: string }) => i.id)).toContain(drill.json.id);
    const after = (await call('GET', `${base}/counts`, 'demo-analyst')).json;
    expect(after.drill.open).toBe(before.drill.open + 1);
    expect(after.real).toEqual(before.real);
    const resolved = await call('POST', `${base}/${drill.json.id}/status`, 'demo-analyst', { status: 'resolved' });
    expect(resolved.json.drill.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('lists built-in plans, keeps an enterprise’s own plans to it, and refuses to change built-in ones', async () => {
    const plans = (await call('GET', '/api/v1/security/plans', 'demo-analyst')).json.items as Array<{ id: string; builtin: boolean; name: string }>;
    expect(plans.filter((p) => p.builtin).map((p) => p.id)).toEqual(expect.arrayContaining(['builtin:unauthorized-command', 'builtin:denial-of-service', 'builtin:ransomware', 'builtin:data-exfiltration']));
    const body = { name: '本厂停机预案', nameEn: 'Our shutdown plan', techniques: ['T0814'], steps: [{ title: '通知调度', role: 'operator', dueMinutes: 10 }] };
    const mine = await call('POST', '/api/v1/security/plans', 'demo-analyst', body);
    expect(mine.status).toBe(201);
    expect((await call('GET', `/api/v1/security/plans/${mine.json.id}`, 'demo2-admin')).json.error.code).toBe('RESPONSE_PLAN_NOT_FOUND');
    expect((await call('PUT', '/api/v1/security/plans/builtin:ransomware', 'demo-analyst', body)).json.error.code).toBe('RESPONSE_PLAN_BUILTIN');
    expect((await call('POST', '/api/v1/security/plans', 'demo-engineer', body)).status).toBe(403);
    const invalid = await call('POST', '/api/v1/security/plans', 'demo-analyst', { ...body, steps: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.code).toBe('VALIDATION_FAILED');
    expect((await call('DELETE', `/api/v1/security/plans/${mine.json.id}`, 'demo-admin')).status).toBe(200);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = (await platform.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/security/incidents', '/api/v1/security/incidents/{id}/status', '/api/v1/security/incidents/{id}/evidence/{evidence}/content', '/api/v1/security/plans/{id}']));
  });
});

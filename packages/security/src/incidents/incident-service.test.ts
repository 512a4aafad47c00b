import type { IncidentEventInput } from '@yulian/contracts';
import { type Store, YulianError, sm3, storeBackends } from '@yulian/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IncidentService, createIncidentService } from './incident-service.js';

const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const minute = 60_000;
let seq = 0;
const event = (o: Partial<IncidentEventInput> = {}): IncidentEventInput => ({
  id: `ev-${++seq}`,
  tenantId: 'tenant-a',
  ts: t0,
  ruleId: 100_200,
  level: 12,
  title: '非授权主机写保持寄存器',
  titleEn: 'Write from an unauthorised host',
  techniques: ['T0855'],
  source: { ip: '10.0.0.66' },
  target: { ip: '10.0.0.10', port: 502, deviceId: 'cnc-01' },
  count: 1,
  ...o,
});
const closure = { summary: '攻击者写入主轴转速', rootCause: '工程师站弱口令', actions: '封禁来源，恢复参数', lessons: '启用白名单' };

const rejects = async (p: Promise<unknown>, code: string): Promise<YulianError> => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(YulianError);
  expect((e as YulianError).code).toBe(code);
  return e as YulianError;
};

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`incidents on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let clock = t0;
    let incidents: IncidentService;
    const scope = { kind: 'tenant', tenantId: 'tenant-a' } as const;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      clock = t0;
      incidents = createIncidentService({ store, now: () => clock });
    });
    afterEach(async () => opened.cleanup());

    it('opens one incident for an attack burst and links every event of it', async () => {
      const first = await incidents.openFromEvent(event());
      expect(first.outcome).toBe('opened');
      expect(first.incident?.number).toBe('INC-2026-0001');
      expect(first.incident?.openedBy).toBeNull();
      for (let i = 1; i <= 4; i++) {
        clock += minute;
        const r = await incidents.openFromEvent(event({ ts: t0 + i * minute, level: i === 4 ? 14 : 12, target: { ip: '10.0.0.11', port: 502, deviceId: 'cnc-02' } }));
        expect(r.outcome).toBe('joined');
        expect(r.incident?.id).toBe(first.incident?.id);
      }
      const list = await incidents.list(scope);
      expect(list).toHaveLength(1);
      const inc = list[0]!;
      expect(inc.eventCount).toBe(5);
      expect(inc.level).toBe(14);
      expect(inc.severity).toBe('critical');
      expect(inc.sources).toEqual(['10.0.0.66']);
      expect(inc.assets).toEqual(['cnc-01', 'cnc-02']);
      expect(inc.techniques).toEqual(['T0855']);
      expect(await incidents.events(scope, inc.id)).toHaveLength(5);
      // The unauthorised-command plan answers T0855: its steps are the incident's tasks.
      expect(inc.planId).toBe('builtin:unauthorized-command');
      const tasks = await incidents.tasks.list(scope, inc.id);
      expect(tasks.length).toBe(6);
      expect(tasks[0]!.dueAt).toBe(new Date(t0 + 15 * minute).toISOString());
      const kinds = (await incidents.timeline(scope, inc.id)).map((e) => e.kind);
      expect(kinds).toEqual(['opened', 'event', 'plan', 'event', 'event', 'event', 'event']);
      expect(incidents.stats()).toMatchObject({ opened: 1, joined: 4 });
    });

    it('takes each event once, however often it is delivered, also concurrently', async () => {
      const e = event();
      const answers = await Promise.all([incidents.openFromEvent(e), incidents.openFromEvent(e), incidents.openFromEvent(e)]);
      expect(answers.map((a) => a.outcome).sort()).toEqual(['duplicate', 'duplicate', 'opened']);
      expect(new Set(answers.map((a) => a.incident?.id)).size).toBe(1);
      const again = await incidents.openFromEvent(e);
      expect(again.outcome).toBe('duplicate');
      const [inc] = await incidents.list(scope);
      expect(inc?.eventCount).toBe(1);
      // A burst delivered concurrently still makes one incident.
      const burst = await Promise.all([0, 1, 2, 3, 4].map((i) => incidents.openFromEvent(event({ source: { ip: '10.0.0.77' }, ts: t0 + i }))));
      expect(new Set(burst.map((b) => b.incident?.id)).size).toBe(1);
      expect(await incidents.list(scope)).toHaveLength(2);
    });

    it('never opens an incident for an event below the opening level, and honours a configured level', async () => {
      const low = await incidents.openFromEvent(event({ level: 11 }));
      expect(low).toEqual({ outcome: 'ignored', incident: null });
      expect(await incidents.list(scope)).toEqual([]);
      const strict = createIncidentService({ store, now: () => clock, openLevel: 14 });
      expect((await strict.openFromEvent(event({ level: 13 }))).outcome).toBe('ignored');
      expect((await strict.openFromEvent(event({ level: 14 }))).outcome).toBe('opened');
    });

    it('opens a new incident for another technique, source, enterprise, or after the window', async () => {
      const a = await incidents.openFromEvent(event());
      const otherTechnique = await incidents.openFromEvent(event({ techniques: ['T0814'] }));
      const otherSource = await incidents.openFromEvent(event({ source: { ip: '10.0.0.99' } }));
      const otherTenant = await incidents.openFromEvent(event({ tenantId: 'tenant-b' }));
      const late = await incidents.openFromEvent(event({ ts: t0 + 61 * minute }));
      expect([otherTechnique, otherSource, otherTenant, late].map((r) => r.outcome)).toEqual(['opened', 'opened', 'opened', 'opened']);
      expect(new Set([a, otherTechnique, otherSource, otherTenant, late].map((r) => r.incident?.id)).size).toBe(5);
      expect(otherTechnique.incident?.planId).toBe('builtin:denial-of-service');
      expect(otherTenant.incident?.number).toBe('INC-2026-0001');
      expect(late.incident?.number).toBe('INC-2026-0004');
      // Tenant A sees its four, not tenant B's.
      expect(await incidents.list(scope)).toHaveLength(4);
      expect((await incidents.counts(scope)).real.open).toBe(4);
    });

    it('does not join a resolved incident: the next event opens a new one', async () => {
      const a = await incidents.openFromEvent(event());
      await incidents.setStatus(scope, a.incident!.id, { status: 'resolved' }, 'analyst');
      const b = await incidents.openFromEvent(event({ ts: t0 + minute }));
      expect(b.outcome).toBe('opened');
      expect(b.incident?.id).not.toBe(a.incident?.id);
    });

    it('rejects a malformed event with INCIDENT_EVENT_INVALID, counted, without throwing', async () => {
      const r = await incidents.openFromEvent({ ...event(), level: 42 });
      expect(r.outcome).toBe('rejected');
      expect(r.reason).toMatch(/level/);
      const r2 = await incidents.openFromEvent({ ...event(), id: '' });
      expect(r2.outcome).toBe('rejected');
      expect(incidents.stats().rejected).toBe(2);
      expect(await incidents.list(scope)).toEqual([]);
    });

    it('walks the statuses and will not close without the whole closure report', async () => {
      const { incident } = await incidents.openFromEvent(event());
      const id = incident!.id;
      await rejects(incidents.setStatus(scope, id, { status: 'closed', closure }, 'analyst'), 'INCIDENT_TRANSITION_INVALID');
      await incidents.setStatus(scope, id, { status: 'investigating' }, 'analyst');
      await incidents.setStatus(scope, id, { status: 'contained', note: '已封禁来源' }, 'analyst');
      clock += 30 * minute;
      await incidents.setStatus(scope, id, { status: 'resolved' }, 'analyst');
      const e = await rejects(incidents.setStatus(scope, id, { status: 'closed' }, 'analyst'), 'INCIDENT_CLOSURE_REQUIRED');
      expect(e.details?.missing).toEqual(['summary', 'rootCause', 'actions', 'lessons']);
      await rejects(incidents.setStatus(scope, id, { status: 'closed', closure: { ...closure, lessons: '  ' } }, 'analyst'), 'INCIDENT_CLOSURE_REQUIRED');
      const closed = await incidents.setStatus(scope, id, { status: 'closed', closure }, 'analyst');
      expect(closed.status).toBe('closed');
      expect(closed.closure).toEqual(closure);
      expect(closed.closedBy).toBe('analyst');
      await rejects(incidents.comment(scope, id, 'late', 'analyst'), 'INCIDENT_CLOSED');
      await rejects(incidents.update(scope, id, { owner: 'x' }, 'analyst'), 'INCIDENT_CLOSED');
      const statuses = (await incidents.timeline(scope, id)).filter((t) => t.kind === 'status' || t.kind === 'closed').map((t) => t.details.to);
      expect(statuses).toEqual(['investigating', 'contained', 'resolved', 'closed']);
      // A closed incident no longer takes events: the next one of the group opens a new incident.
      expect((await incidents.openFromEvent(event({ ts: t0 + minute }))).outcome).toBe('opened');
      await rejects(incidents.get({ kind: 'tenant', tenantId: 'tenant-b' }, id), 'INCIDENT_NOT_FOUND');
    });

    it('records tasks, comments, owner changes and evidence in the timeline; keeps small files and only hashes of others', async () => {
      const inc = await incidents.create(scope, 'tenant-a', { title: '可疑登录', severity: 'medium' }, 'admin');
      expect(inc.openedBy).toBe('admin');
      expect(inc.planId).toBeNull();
      const withPlan = await incidents.applyPlan(scope, inc.id, 'builtin:general', 'admin');
      expect(withPlan.tasks).toEqual({ total: 4, finished: 0 });
      const [t1, t2] = await incidents.tasks.list(scope, inc.id);
      clock += 5 * minute;
      await incidents.tasks.update(scope, inc.id, t1!.id, { status: 'doing', assignee: 'demo-analyst' }, 'analyst');
      clock += 10 * minute;
      const done = await incidents.tasks.update(scope, inc.id, t1!.id, { status: 'done', note: '确认为误报以外的真实登录' }, 'analyst');
      expect(done.durationMs).toBe(10 * minute);
      await incidents.tasks.update(scope, inc.id, t2!.id, { status: 'skipped', note: '无需隔离' }, 'analyst');
      await rejects(incidents.tasks.update(scope, inc.id, 'nope', { status: 'done' }, 'analyst'), 'INCIDENT_TASK_NOT_FOUND');
      await incidents.update(scope, inc.id, { owner: 'demo-analyst', severity: 'high' }, 'admin');
      await incidents.comment(scope, inc.id, '已联系运维', 'analyst');

      const bytes = Buffer.from('pcap bytes of the attack');
      const file = await incidents.evidence.add(scope, inc.id, { kind: 'file', title: '抓包', fileName: 'attack.pcap', content: bytes.toString('base64') }, 'analyst');
      expect(file.sm3).toBe(sm3(bytes).toString('hex'));
      expect(file.stored).toBe(true);
      const back = await incidents.evidence.content(scope, inc.id, file.id);
      expect(back.bytes.equals(bytes)).toBe(true);
      const hashOnly = await incidents.evidence.add(scope, inc.id, { kind: 'file', title: '主机镜像', fileName: 'ews.img', sm3: 'A'.repeat(64), size: 64 * 2 ** 30 }, 'analyst');
      expect(hashOnly).toMatchObject({ stored: false, sm3: 'a'.repeat(64), size: 64 * 2 ** 30 });
      await rejects(incidents.evidence.content(scope, inc.id, hashOnly.id), 'INCIDENT_EVIDENCE_NOT_FOUND');
      await incidents.evidence.add(scope, inc.id, { kind: 'link', title: '威胁情报', url: 'https://example.org/ioc' }, 'analyst');
      await rejects(incidents.evidence.add(scope, inc.id, { kind: 'link', title: 'x', url: 'javascript:alert(1)' }, 'analyst'), 'INCIDENT_EVIDENCE_INVALID');
      await rejects(incidents.evidence.add(scope, inc.id, { kind: 'file', title: 'x', fileName: 'a', content: bytes.toString('base64'), sm3: '0'.repeat(64) }, 'analyst'), 'INCIDENT_EVIDENCE_INVALID');
      await rejects(incidents.evidence.add(scope, inc.id, { kind: 'file', title: 'x', fileName: 'a', content: Buffer.alloc(256 * 1024 + 1).toString('base64') }, 'analyst'), 'INCIDENT_EVIDENCE_INVALID');
      expect(await incidents.evidence.list(scope, inc.id)).toHaveLength(3);

      const timeline = await incidents.timeline(scope, inc.id);
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
      expect(timeline.map((e) => e.kind)).toEqual(['opened', 'plan', 'task', 'task', 'task', 'owner', 'updated', 'comment', 'evidence', 'evidence', 'evidence']);
      expect((await incidents.get(scope, inc.id)).tasks).toEqual({ total: 4, finished: 2 });
    });

    it('runs a drill from a plan: timed, with per-task durations, kept apart from real incidents', async () => {
      await incidents.openFromEvent(event());
      await rejects(incidents.create(scope, 'tenant-a', { kind: 'drill' }, 'admin'), 'VALIDATION_FAILED');
      const drill = await incidents.create(scope, 'tenant-a', { kind: 'drill', planId: 'builtin:ransomware' }, 'admin');
      expect(drill).toMatchObject({ kind: 'drill', number: 'DRL-2026-0001', title: '演练：勒索软件处置预案', planId: 'builtin:ransomware' });
      expect(drill.drill).toEqual({ startedAt: new Date(t0).toISOString(), finishedAt: null, durationMs: null });
      const tasks = await incidents.tasks.list(scope, drill.id);
      expect(tasks).toHaveLength(6);
      for (const [i, t] of tasks.entries()) {
        clock += (i + 1) * minute;
        await incidents.tasks.update(scope, drill.id, t.id, { status: 'done' }, 'admin');
      }
      const durations = (await incidents.tasks.list(scope, drill.id)).map((t) => t.durationMs! / minute);
      expect(durations).toEqual([1, 3, 6, 10, 15, 21]);
      await incidents.setStatus(scope, drill.id, { status: 'resolved' }, 'admin');
      const finished = await incidents.setStatus(scope, drill.id, { status: 'closed', closure }, 'admin');
      expect(finished.drill).toEqual({ startedAt: new Date(t0).toISOString(), finishedAt: new Date(t0 + 21 * minute).toISOString(), durationMs: 21 * minute });
      expect((await incidents.list(scope)).map((i) => i.kind)).toEqual(['real']);
      expect((await incidents.list(scope, { kind: 'drill' })).map((i) => i.id)).toEqual([drill.id]);
      const counts = await incidents.counts(scope);
      expect(counts.real).toMatchObject({ open: 1, closed: 0 });
      expect(counts.drill).toMatchObject({ open: 0, closed: 1 });
    });

    it('keeps enterprises’ own plans apart, prefers them when matching, and refuses to change built-in ones', async () => {
      const mine = await incidents.plans.create(scope, 'tenant-a', { name: '本厂写指令预案', techniques: ['T0855'], steps: [{ title: '通知厂长', role: 'enterprise-admin', dueMinutes: 5 }] }, 'admin');
      const theirs = await incidents.plans.create({ kind: 'tenant', tenantId: 'tenant-b' }, 'tenant-b', { name: 'B 厂预案', steps: [{ title: 'x', role: 'engineer', dueMinutes: 5 }] }, 'b');
      const names = (await incidents.plans.list(scope)).map((p) => p.name);
      expect(names).toContain('本厂写指令预案');
      expect(names).not.toContain('B 厂预案');
      expect(names.filter((n) => n.includes('预案')).length).toBeGreaterThanOrEqual(5);
      await rejects(incidents.plans.get(scope, theirs.id), 'RESPONSE_PLAN_NOT_FOUND');
      await rejects(incidents.plans.update(scope, 'builtin:ransomware', { name: 'x', steps: [{ title: 'x', role: 'engineer', dueMinutes: 1 }] }), 'RESPONSE_PLAN_BUILTIN');
      await rejects(incidents.plans.remove(scope, theirs.id), 'RESPONSE_PLAN_NOT_FOUND');
      const opened = await incidents.openFromEvent(event());
      expect(opened.incident?.planId).toBe(mine.id);
      expect((await incidents.tasks.list(scope, opened.incident!.id)).map((t) => t.title)).toEqual(['通知厂长']);
      // Choosing another plan skips the first plan's tasks not yet started and adds the new plan's.
      await incidents.applyPlan(scope, opened.incident!.id, 'builtin:general', 'admin');
      const tasks = await incidents.tasks.list(scope, opened.incident!.id);
      expect(tasks.map((t) => t.status)).toEqual(['skipped', 'todo', 'todo', 'todo', 'todo']);
      await incidents.plans.remove(scope, mine.id);
      await rejects(incidents.plans.get(scope, mine.id), 'RESPONSE_PLAN_NOT_FOUND');
    });
  });
}

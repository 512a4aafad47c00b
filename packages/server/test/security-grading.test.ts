import { type TestPlatform, demoApi, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const grading = '/api/v1/security/grading';
const inspections = '/api/v1/security/inspections';

describe('enterprise security grading and security inspections on the demo platform', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;

  beforeAll(async () => {
    platform = await startDemoPlatform('security-grading');
    call = demoApi(platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  /** Answers every item of a questionnaire with its highest-scoring choice. */
  const allHighest = (q: Json): Record<string, { option: string; evidence: string }> =>
    Object.fromEntries(q.sections.flatMap((s: Json) => s.items).map((i: Json) => [i.id, { option: i.options[i.options.length - 1].id, evidence: `佐证：${i.zh}` }]));

  it('takes the demo enterprise from self-assessment to a confirmed level 3, which the enterprise sees and another cannot', async () => {
    const qs = (await call('GET', `${grading}/questionnaires`, 'demo-admin')).json.items as Json[];
    expect(qs.map((q) => q.kind).sort()).toEqual(['industrial', 'platform', 'resolution']);
    const industrial = qs.find((q) => q.kind === 'industrial');

    // The authority and a viewer cannot assess an enterprise; an engineer cannot read grading.
    expect((await call('POST', `${grading}/assessments`, 'demo-authority', { kind: 'industrial' })).status).toBe(403);
    expect((await call('GET', `${grading}/assessments`, 'demo-engineer')).status).toBe(403);
    const created = await call('POST', `${grading}/assessments`, 'demo-analyst', { kind: 'industrial' });
    expect(created.status).toBe(201);
    const id = created.json.id;
    expect(created.json).toMatchObject({ status: 'draft', enterpriseCode: 'DEMO-0001', district: '两江新区', proposedLevel: null });
    expect((await call('POST', `${grading}/assessments`, 'demo-admin', { kind: 'industrial' })).json.error).toMatchObject({ code: 'ASSESSMENT_STATE_INVALID', details: { id } });

    // Bad answers are refused with the item named.
    const bad = await call('PUT', `${grading}/assessments/${id}/answers`, 'demo-admin', { answers: { industry: { option: 'nuclear' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'ASSESSMENT_ANSWERS_INVALID', details: { item: 'industry', option: 'nuclear' } });
    const saved = await call('PUT', `${grading}/assessments/${id}/answers`, 'demo-admin', { answers: allHighest(industrial) });
    expect(saved.json).toMatchObject({ score: 100, maxScore: 100, proposedLevel: 3, missing: [] });
    expect((await call('POST', `${grading}/assessments/${id}/submit`, 'demo-admin')).json.status).toBe('submitted');

    // Another enterprise neither sees nor reviews it; the enterprise cannot confirm its own level.
    expect((await call('GET', `${grading}/assessments/${id}`, 'demo2-admin')).status).toBe(404);
    expect((await call('GET', `${grading}/assessments`, 'demo2-admin')).json.items).toEqual([]);
    const self = await call('POST', `${grading}/assessments/${id}/review`, 'demo-admin', { decision: 'confirm' });
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe('FORBIDDEN');

    // The authority's queue holds it; a level other than the proposed one needs a reason.
    const queue = (await call('GET', `${grading}/assessments?status=submitted`, 'demo-authority')).json.items as Json[];
    expect(queue.map((a) => a.id)).toContain(id);
    expect((await call('POST', `${grading}/assessments/${id}/review`, 'demo-authority', { decision: 'set', level: 2 })).status).toBe(400);
    const confirmed = await call('POST', `${grading}/assessments/${id}/review`, 'demo-authority', { decision: 'confirm', comment: '同意' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.grade).toMatchObject({ enterpriseCode: 'DEMO-0001', level: 3, kind: 'industrial', reassessOverdue: false });
    expect(Date.parse(confirmed.json.grade.reassessDueAt) - Date.parse(confirmed.json.grade.confirmedAt)).toBe(365 * 86_400_000);

    // The enterprise sees its level; the authority lists enterprises by district and level.
    const mine = (await call('GET', `${grading}/enterprises`, 'demo-analyst')).json.items as Json[];
    expect(mine.map((g) => [g.enterpriseCode, g.level])).toEqual([['DEMO-0001', 3]]);
    expect((await call('GET', `${grading}/enterprises/${confirmed.json.grade.tenantId}`, 'demo2-admin')).status).toBe(404);
    expect(((await call('GET', `${grading}/enterprises?level=3`, 'demo-authority')).json.items as Json[]).map((g) => g.enterpriseCode)).toEqual(['DEMO-0001']);
    expect(((await call('GET', `${grading}/enterprises?district=璧山区&level=0`, 'demo-authority')).json.items as Json[]).map((g) => g.enterpriseCode)).toContain('DEMO-0002');
    const summary = (await call('GET', `${grading}/summary`, 'demo-authority')).json.items as Json[];
    expect(summary.find((r) => r.district === '两江新区')).toMatchObject({ level3: 1 });
    expect((await call('GET', `${grading}/summary`, 'demo-admin')).status).toBe(403);

    // Every step is in the enterprise's audit log.
    const actions = ((await call('GET', '/api/v1/audit?action=security.grading.confirm', 'demo-admin')).json.items as Json[]).map((e) => [e.action, e.actor, e.target]);
    expect(actions).toEqual([['security.grading.confirm', 'demo-authority', id]]);
  });

  it('schedules an inspection on the level-3 checklist, tracks findings to rectification and closes it', async () => {
    const checklist3 = (await call('GET', `${inspections}/checklists/3`, 'demo-authority')).json.items as Json[];
    expect(checklist3.map((i) => i.id)).toEqual(expect.arrayContaining(['securityBody', 'responsible', 'training', 'protection', 'monitoring', 'riskAssessment']));
    const input = { enterprise: 'DEMO-0001', scheduledFor: '2026-06-01T01:00:00Z', inspectors: ['市经信委 王工', '两江新区 李工'] };
    expect((await call('POST', inspections, 'demo-admin', input)).status).toBe(403);
    // DEMO-0002 has no confirmed level yet.
    expect((await call('POST', inspections, 'demo-authority', { ...input, enterprise: 'DEMO-0002' })).json.error.code).toBe('ENTERPRISE_LEVEL_UNKNOWN');
    const scheduled = await call('POST', inspections, 'demo-authority', input);
    expect(scheduled.status).toBe(201);
    const id = scheduled.json.id;
    expect(scheduled.json).toMatchObject({ level: 3, status: 'scheduled', counts: { items: checklist3.length } });
    expect((await call('GET', `${inspections}/${id}`, 'demo2-admin')).status).toBe(404);
    expect((await call('GET', inspections, 'demo2-admin')).json.items).toEqual([]);

    const results = checklist3.map((i) => (i.id === 'riskAssessment' ? { item: i.id, result: 'finding', severity: 'high', description: '2025 年度未开展风险评估' } : { item: i.id, result: 'pass' }));
    expect((await call('POST', `${inspections}/${id}/results`, 'demo-analyst', { results, complete: true })).status).toBe(403);
    const done = await call('POST', `${inspections}/${id}/results`, 'demo-authority', { results, complete: true });
    expect(done.json).toMatchObject({ status: 'rectifying', counts: { findings: 1, openRectifications: 1 } });
    const rect = done.json.rectifications[0];
    expect(rect).toMatchObject({ item: 'riskAssessment', severity: 'high', status: 'open', overdue: false });

    // The enterprise sees what to rectify and reports it; the evidence must be a web link.
    const todo = (await call('GET', `${inspections}/rectifications?status=open`, 'demo-admin')).json.items as Json[];
    expect(todo.map((r) => r.id)).toEqual([rect.id]);
    expect((await call('GET', `${inspections}/rectifications`, 'demo2-admin')).json.items).toEqual([]);
    expect((await call('POST', `${inspections}/rectifications/${rect.id}/report`, 'demo-admin', { text: '已完成', evidence: 'javascript:alert(1)' })).status).toBe(400);
    expect((await call('POST', `${inspections}/rectifications/${rect.id}/report`, 'demo2-admin', { text: '已完成', evidence: 'https://x.example/r.pdf' })).status).toBe(404);
    const reported = await call('POST', `${inspections}/rectifications/${rect.id}/report`, 'demo-admin', { text: '已委托第三方完成年度风险评估', evidence: 'https://docs.example.com/risk-2026.pdf' });
    expect(reported.json).toMatchObject({ status: 'reported', reportedBy: 'demo-admin' });
    // The enterprise cannot verify its own rectification.
    expect((await call('POST', `${inspections}/rectifications/${rect.id}/verify`, 'demo-admin', { outcome: 'accepted' })).status).toBe(403);
    const verified = await call('POST', `${inspections}/rectifications/${rect.id}/verify`, 'demo-authority', { outcome: 'accepted', comment: '报告齐全' });
    expect(verified.json.rectification.status).toBe('closed');
    expect(verified.json.inspection).toMatchObject({ status: 'closed', counts: { openRectifications: 0 } });
    expect((await call('GET', `${inspections}?status=closed`, 'demo-analyst')).json.items.map((i: Json) => i.id)).toEqual([id]);
    const trail = ((await call('GET', '/api/v1/audit?limit=200', 'demo-admin')).json.items as Json[]).map((e) => e.action).filter((a) => a.startsWith('security.inspection') || a.startsWith('security.rectification'));
    expect(trail.reverse()).toEqual(['security.inspection.schedule', 'security.inspection.complete', 'security.rectification.report', 'security.rectification.accept']);
  });
});

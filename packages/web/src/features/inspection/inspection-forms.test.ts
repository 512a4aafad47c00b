import { inspectionPlanInputSchema, inspectionStandardInputSchema } from '@yulian/contracts';
import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { ApiError } from '../../api/client';
import { createInspectionApi } from './inspection-api';
import { emptyItemDraft, errorField, itemDraftOf, moveEntry, planBody, roundProgress, splitList, standardBody, type PlanDraft } from './inspection-forms';

const plan: PlanDraft = {
  name: ' 车床线点检 ',
  routeId: 'r1',
  scheduleKind: 'daily',
  times: '16:00, 08:00，00:00 08:00',
  every: '8',
  unit: 'hours',
  startAt: '2026-11-29T08:00',
  assignees: 'demo-operator、demo-engineer demo-operator',
  windowMinutes: '480',
  graceMinutes: '60',
  radiusMeters: '',
  allowWithoutPosition: false,
};

describe('the inspection console forms', () => {
  it('makes a standard body the API accepts: range and unit only on measured items, texts trimmed', () => {
    const body = standardBody('p1', ' CNC 日常点检 ', [
      { ...emptyItemDraft(), key: ' guard ', name: '防护门', kind: 'ok_nok', unit: 'x', min: '1' },
      { ...emptyItemDraft(), key: 'oil', name: '油位', kind: 'measured', unit: ' % ', min: '30', max: '', required: false, instructions: ' 读油标 ' },
    ]);
    expect(body).toEqual({
      profileId: 'p1',
      name: 'CNC 日常点检',
      items: [
        { key: 'guard', name: '防护门', kind: 'ok_nok', required: true, instructions: '' },
        { key: 'oil', name: '油位', kind: 'measured', required: false, instructions: '读油标', unit: '%', min: 30 },
      ],
    });
    expect(inspectionStandardInputSchema.safeParse(body).success).toBe(true);
  });

  it('round-trips a stored item through its draft', () => {
    const item = { key: 'air', name: '气压', kind: 'measured' as const, required: true, instructions: '', unit: 'MPa', min: 0.5, max: 0.7 };
    expect(standardBody('p', 'n', [itemDraftOf(item)]).items).toEqual([item]);
    expect(itemDraftOf({ key: 'k', name: 'n', kind: 'visual', required: false, instructions: 'i' })).toEqual({ key: 'k', name: 'n', kind: 'visual', unit: '', min: '', max: '', required: false, instructions: 'i' });
  });

  it('makes a plan body: daily times sorted and unique, assignees split and unique, empty defaults left to the server', () => {
    const body = planBody(plan);
    expect(body).toEqual({ name: '车床线点检', routeId: 'r1', schedule: { kind: 'daily', times: ['00:00', '08:00', '16:00'] }, assignees: ['demo-operator', 'demo-engineer'], windowMinutes: 480, graceMinutes: 60, allowWithoutPosition: false });
    expect(inspectionPlanInputSchema.safeParse(body).success).toBe(true);
    const interval = planBody({ ...plan, scheduleKind: 'interval', radiusMeters: '150' });
    expect(interval.schedule).toEqual({ kind: 'interval', every: 8, unit: 'hours', startAt: new Date('2026-11-29T08:00').toISOString() });
    expect(interval.radiusMeters).toBe(150);
    expect(inspectionPlanInputSchema.safeParse(interval).success).toBe(true);
    expect(planBody({ ...plan, scheduleKind: 'interval', startAt: '' }).schedule).toMatchObject({ startAt: '' });
  });

  it('splits typed lists and moves route entries', () => {
    expect(splitList(' a, b；c\nd ')).toEqual(['a', 'b', 'c', 'd']);
    expect(moveEntry(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveEntry(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('reads the field a server error names and a round’s progress', () => {
    expect(errorField(new ApiError(400, 'INSPECTION_STANDARD_INVALID', 'dup', { field: 'items.1', item: 'oil' }))).toBe('items.1');
    expect(errorField(new ApiError(400, 'VALIDATION', 'bad'))).toBeUndefined();
    expect(errorField(new Error('x'))).toBeUndefined();
    const device = { name: 'n', abnormal: null, workOrder: null };
    expect(roundProgress({ devices: [{ ...device, device: 'a', record: 'r1' }, { ...device, device: 'b', record: null }] })).toEqual({ done: 1, total: 2 });
  });

  it('calls the setup APIs on the paths docs/api.md names', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const api = createInspectionApi({ token: () => 'tok', fetch });
    await api.tasks({ status: 'overdue' });
    await api.tasks();
    await api.updateStandard('s/1', { profileId: 'p', name: 'n', items: [] });
    await api.deletePlan('p1');
    expect(calls.map((c) => `${c.init?.method ?? ''} ${c.url}`)).toEqual([
      'GET /api/v1/inspection/tasks?limit=200&status=overdue',
      'GET /api/v1/inspection/tasks?limit=200',
      'PUT /api/v1/inspection/standards/s%2F1',
      'DELETE /api/v1/inspection/plans/p1',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../api/fake-fetch';
import { fileToBase64, formatDuration } from './incident-format';
import { createIncidentsApi } from './incidents-api';

describe('the incidents API client', () => {
  it('lists real incidents or drills, moves an incident, works tasks and adds evidence on the server’s paths', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const api = createIncidentsApi({ token: () => 'tok', fetch });
    await api.list();
    await api.list({ kind: 'drill', status: 'active' });
    await api.setStatus('i/1', { status: 'closed', closure: { summary: 's', rootCause: 'r', actions: 'a', lessons: 'l' } });
    await api.updateTask('i/1', 't1', { status: 'done' });
    await api.applyPlan('i/1', 'builtin:ransomware');
    await api.addEvidence('i/1', { kind: 'link', title: '情报', url: 'https://example.org' });
    await api.removePlan('p/1');
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${String(c.init?.body ?? '')}`)).toEqual([
      'GET /api/v1/security/incidents ',
      'GET /api/v1/security/incidents?kind=drill&status=active ',
      'POST /api/v1/security/incidents/i%2F1/status {"status":"closed","closure":{"summary":"s","rootCause":"r","actions":"a","lessons":"l"}}',
      'PATCH /api/v1/security/incidents/i%2F1/tasks/t1 {"status":"done"}',
      'POST /api/v1/security/incidents/i%2F1/plan {"planId":"builtin:ransomware"}',
      'POST /api/v1/security/incidents/i%2F1/evidence {"kind":"link","title":"情报","url":"https://example.org"}',
      'DELETE /api/v1/security/plans/p%2F1 ',
    ]);
  });

  it('rejects closing without the report with the server’s code and the missing fields', async () => {
    const body = { error: { code: 'INCIDENT_CLOSURE_REQUIRED', message: 'missing', details: { missing: ['lessons'] } } };
    const api = createIncidentsApi({ token: () => null, fetch: fakeFetch(400, body).fetch });
    await expect(api.setStatus('i1', { status: 'closed' })).rejects.toMatchObject({ status: 400, code: 'INCIDENT_CLOSURE_REQUIRED', details: { missing: ['lessons'] } });
  });
});

describe('incident formatting', () => {
  it('shows drill and task durations as minutes and seconds, hours when longer', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(21 * 60_000 + 5_000)).toBe('21:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('encodes an evidence file as base64, also when larger than one chunk', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(await fileToBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'));
  });
});

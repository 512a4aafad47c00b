import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yulian/core';
import { ResponseCode, decodeAdmin, decodeSite, resolveHandle } from '@yulian/protocols';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('enterprise prefixes: application, review and allocation', () => {
  let dataDir: string;
  let platform: Platform;
  const tokens = new Map<string, string>();
  const entry = () => ({ host: '127.0.0.1', port: platform.identifier.entry.port });
  const secondary = () => ({ host: '127.0.0.1', port: platform.identifier.secondary.port });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-prefixes-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    for (const username of ['demo-admin', 'demo-operator', 'demo-engineer', 'demo2-admin', 'demo-registrar', 'demo-authority']) {
      const r = await fetch(`${platform.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
      tokens.set(username, ((await r.json()) as { token: string }).token);
    }
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  type Json = Record<string, unknown> & { items?: Array<Record<string, unknown>>; error?: { code: string; details?: Record<string, unknown> } };
  const call = async (method: string, path: string, user: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(user)!}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${platform.httpUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: r.status, json: (await r.json()) as Json };
  };
  const prefixes = '/api/v1/identifiers/prefixes';
  const application = { orgName: '重庆山城精密电子有限公司', creditCode: '91350100M000100Y43', contact: '王工 023-6000 0000' };
  const putHandle = (handle: string, user: string) =>
    fetch(`${platform.httpUrl}/api/handles/${handle}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(user)!}` },
      body: JSON.stringify({ values: [{ index: 1, type: 'URL', data: { format: 'string', value: `https://example.com/${handle}` } }] }),
    });

  it('takes an application from an enterprise admin only, with a valid credit code, one at a time', async () => {
    expect((await call('POST', prefixes, 'demo-operator', application)).json.error?.code).toBe('FORBIDDEN');
    expect((await call('POST', prefixes, 'demo-registrar', application)).status).toBe(403);
    const bad = await call('POST', prefixes, 'demo2-admin', { ...application, creditCode: '91350100M000100Y44' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'CREDIT_CODE_INVALID', details: { field: 'creditCode' } });
    expect((await call('POST', prefixes, 'demo2-admin', { ...application, extra: 1 })).json.error?.code).toBe('VALIDATION_FAILED');

    const applied = await call('POST', prefixes, 'demo2-admin', application);
    expect(applied.status).toBe(201);
    // 88.100.1 is the demo enterprise's: the next free number is 2.
    expect(applied.json).toMatchObject({ prefix: '88.100.2', parent: '88.100', state: 'pending', applicant: 'demo2-admin', creditCode: '91350100M000100Y43', site: null, quota: null });
    const again = await call('POST', prefixes, 'demo2-admin', { ...application, code: 'sc' });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'PREFIX_APPLICATION_PENDING', details: { prefix: '88.100.2' } });
  });

  it('shows an application to its enterprise and the reviewers, not to another enterprise; the authority sees no contact', async () => {
    expect((await call('GET', `${prefixes}/88.100.2`, 'demo2-admin')).json).toMatchObject({ state: 'pending', contact: application.contact });
    expect((await call('GET', `${prefixes}/88.100.2`, 'demo-admin')).json.error?.code).toBe('PREFIX_NOT_FOUND');
    expect((await call('GET', prefixes, 'demo-admin')).json.items?.map((p) => p['prefix'])).toEqual(['88.100.1']);
    expect((await call('GET', `${prefixes}?state=pending`, 'demo-registrar')).json.items?.map((p) => p['prefix'])).toEqual(['88.100.2']);
    const seen = (await call('GET', `${prefixes}/88.100.2`, 'demo-authority')).json;
    expect(seen).toMatchObject({ prefix: '88.100.2', orgName: application.orgName, contact: null, applicant: null });
    expect((await call('GET', prefixes, 'demo-operator')).status).toBe(403);
  });

  it('lets only a reviewer decide, rejection only with a reason', async () => {
    expect((await call('POST', `${prefixes}/88.100.2/approve`, 'demo2-admin', {})).status).toBe(403);
    const noReason = await call('POST', `${prefixes}/88.100.2/reject`, 'demo-registrar', {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.error?.code).toBe('VALIDATION_FAILED');
    expect((await call('POST', `${prefixes}/88.100.2/reject`, 'demo-registrar', { reason: ' ' })).status).toBe(400);
    expect((await call('POST', `${prefixes}/88.100.2/resume`, 'demo-registrar')).json.error).toMatchObject({ code: 'PREFIX_STATE_INVALID', details: { from: 'pending', to: 'approved' } });
    expect((await call('POST', `${prefixes}/88.100.99/approve`, 'demo-registrar', {})).json.error?.code).toBe('PREFIX_NOT_FOUND');
  });

  it('approves with a quota; the enterprise then registers under its prefix and the identifier resolves over the Handle protocol', async () => {
    const approved = await call('POST', `${prefixes}/88.100.2/approve`, 'demo-registrar', { quota: 1000, reason: '营业执照已核验' });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ state: 'approved', quota: 1000, reviewer: 'demo-registrar', reviewReason: '营业执照已核验' });
    // The prefix handle on the platform's secondary node: HS_ADMIN of the prefix and of the node, no delegation.
    const handle = await resolveHandle(secondary(), '0.NA/88.100.2');
    const values = 'values' in handle ? handle.values : [];
    expect(values.map((v) => v.type)).toEqual(['HS_ADMIN', 'HS_ADMIN']);
    expect(decodeAdmin(values[0]!.data).handle).toBe('0.NA/88.100.2');

    expect((await putHandle('88.100.2/SC-0001', 'demo2-admin')).status).toBe(201);
    expect((await putHandle('88.100.2/SC-0002', 'demo-engineer')).status).toBe(403);
    const r = await resolveHandle(entry(), '88.100.2/SC-0001');
    expect(r.rc).toBe(ResponseCode.SUCCESS);
    expect('values' in r && r.values.find((v) => v.type === 'URL')?.data.toString()).toBe('https://example.com/88.100.2/SC-0001');

    // The decision is in the enterprise's own audit log.
    const audit = await call('GET', '/api/v1/audit?action=identifier.prefix.approve', 'demo2-admin');
    expect(audit.json.items?.[0]).toMatchObject({ actor: 'demo-registrar', target: '88.100.2' });
  });

  /** The response code of resolving `handle` at the secondary node once it is `want`, or the last one after 5 s. */
  const rcWithin = async (handle: string, want: number): Promise<number> => {
    let rc = -1;
    for (let i = 0; i < 50 && rc !== want; i++) {
      rc = (await resolveHandle(secondary(), handle)).rc;
      if (rc !== want) await new Promise((r) => setTimeout(r, 100));
    }
    return rc;
  };

  it('suspends (no prefix handle, no registrations, identifiers kept but not answered), resumes, and changes the quota', async () => {
    expect((await call('POST', `${prefixes}/88.100.2/suspend`, 'demo-registrar', {})).status).toBe(400);
    expect((await call('POST', `${prefixes}/88.100.2/suspend`, 'demo-registrar', { reason: '年费未缴' })).json).toMatchObject({ state: 'suspended', reviewReason: '年费未缴' });
    expect((await resolveHandle(secondary(), '0.NA/88.100.2')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    expect((await putHandle('88.100.2/SC-0003', 'demo2-admin')).status).toBe(403);
    // Its identifiers are kept but not answered while it is suspended (the node reads suspensions every 2 s).
    expect(await rcWithin('88.100.2/SC-0001', ResponseCode.HANDLE_NOT_FOUND)).toBe(ResponseCode.HANDLE_NOT_FOUND);

    expect((await call('POST', `${prefixes}/88.100.2/resume`, 'demo-registrar')).json).toMatchObject({ state: 'approved' });
    expect(await rcWithin('88.100.2/SC-0001', ResponseCode.SUCCESS)).toBe(ResponseCode.SUCCESS);
    expect((await resolveHandle(secondary(), '0.NA/88.100.2')).rc).toBe(ResponseCode.SUCCESS);
    expect((await putHandle('88.100.2/SC-0003', 'demo2-admin')).status).toBe(201);

    const quota = await call('PUT', `${prefixes}/88.100.2/quota`, 'demo-registrar', { quota: null, reason: 'contract renewed' });
    expect(quota.json).toMatchObject({ quota: null, state: 'approved' });
    expect((await call('PUT', `${prefixes}/88.100.2/quota`, 'demo2-admin', { quota: 5 })).status).toBe(403);
  });

  it('delegates a prefix to an enterprise that runs its own node (HS_SITE.PREFIX)', async () => {
    const applied = await call('POST', prefixes, 'demo-admin', { ...application, orgName: '重庆渝联示范工厂', code: '77', site: { host: '127.0.0.1', port: 26410 } });
    expect(applied.json).toMatchObject({ prefix: '88.100.77', site: { host: '127.0.0.1', port: 26410 } });
    expect((await call('POST', prefixes, 'demo2-admin', { ...application, code: '77' })).json.error?.code).toBe('PREFIX_TAKEN');
    await call('POST', `${prefixes}/88.100.77/approve`, 'demo-registrar');
    const handle = await resolveHandle(secondary(), '0.NA/88.100.77', { types: ['HS_SITE.PREFIX'] });
    const site = 'values' in handle ? decodeSite(handle.values[0]!.data) : undefined;
    expect(site?.servers[0]?.address).toBe('127.0.0.1');
    expect(site?.servers[0]?.interfaces[0]?.port).toBe(26410);
  });

  it('describes the routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${platform.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith(prefixes)).sort()).toEqual([
      prefixes, `${prefixes}/{prefix}`, `${prefixes}/{prefix}/approve`, `${prefixes}/{prefix}/quota`, `${prefixes}/{prefix}/reject`, `${prefixes}/{prefix}/resume`, `${prefixes}/{prefix}/suspend`,
    ]);
  });
});

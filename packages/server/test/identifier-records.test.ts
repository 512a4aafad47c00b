import { ResponseCode, decodePublicKey, decodeSite, handleValue, resolveHandle } from '@yulian/protocols';
import { demoPassword, type TestPlatform, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('identifier records by template, signed with the enterprise’s SM2 key and verified on resolution', () => {
  let platform: TestPlatform;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    platform = await startDemoPlatform('id-records');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const login = async (username: string): Promise<string> => {
    const known = tokens.get(username);
    if (known) return known;
    const r = await fetch(`${platform.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
    const token = ((await r.json()) as { token: string }).token;
    tokens.set(username, token);
    return token;
  };
  const call = async (method: string, path: string, user: string | undefined, body?: unknown): Promise<{ status: number; json: Json }> => {
    const headers: Record<string, string> = user ? { authorization: `Bearer ${await login(user)}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${platform.httpUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  };

  it('signs the demo enterprise’s records: its key is published at 0.NA/88.100.1 and /api/handles reports the signature valid', async () => {
    const key = await resolveHandle({ host: '127.0.0.1', port: platform.identifier.entry.port }, '0.NA/88.100.1', { types: ['HS_PUBKEY'] });
    const published = 'values' in key ? key.values : [];
    expect(published.map((v) => v.index)).toEqual([300]);
    expect(decodePublicKey(published[0]!.data).type).toBe('SM2');
    const got = await call('GET', '/api/handles/88.100.1/dev.cnc-01', undefined);
    expect(got.status).toBe(200);
    expect(got.json.signature).toMatchObject({ status: 'valid', signer: '300:0.NA/88.100.1' });
    expect(got.json.values.some((v: { type: string }) => v.type === 'HS_SIGNATURE')).toBe(true);
    // A type-filtered resolution verifies the values it answered.
    expect((await call('GET', '/api/handles/88.100.1/RV40E.202106.0023?type=product.name', undefined)).json.signature).toMatchObject({ status: 'valid', verified: [2] });

    // A link published on a signed record (a YL.link value) is signed with it, and the public page says so.
    const link = await call('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: '88.100.1/RV40E.202106.0023', type: 'has-component', target: '88.100.1/SP6205.202203.1187' });
    expect(link.status).toBe(201);
    const linked = await call('GET', '/api/handles/88.100.1/RV40E.202106.0023', undefined);
    expect(linked.json.values.some((v: { type: string }) => v.type === 'YL.link')).toBe(true);
    expect(linked.json.signature).toMatchObject({ status: 'valid' });
    const page = await (await fetch(`${platform.httpUrl}/r/88.100.1/RV40E.202106.0023?lang=en`)).text();
    expect(page).toContain('data-signature="valid"');
    expect(page).toContain('300:0.NA/88.100.1');
  });

  it('creates a record from the product template, refusing bad fields with each field’s problem, and reads it back signed', async () => {
    const path = '/api/v1/identifiers/records/88.100.1/GB-2026-0001';
    const bad = await call('PUT', path, 'demo-engineer', { template: 'product', fields: { name: '齿轮箱', productionDate: '2026-02-30', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('ID_FIELDS_INVALID');
    expect(bad.json.error.details.problems.map((p: { field: string; code: string }) => `${p.field}:${p.code}`)).toEqual(expect.arrayContaining(['productionDate:INVALID_DATE', 'colour:UNKNOWN_FIELD']));
    expect((await call('GET', path, 'demo-engineer')).status).toBe(404);
    expect((await call('PUT', path, 'demo-engineer', { template: 'nope', fields: {} })).json.error.code).toBe('ID_TEMPLATE_UNKNOWN');

    const fields = { name: '齿轮箱 GB-200', model: 'GB-200', batch: '2026-11', productionDate: '2026-11-20', manufacturer: '重庆渝联演示机械有限公司' };
    const created = await call('PUT', path, 'demo-engineer', { template: 'product', fields, url: 'https://example.com/gb-200' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ handle: '88.100.1/GB-2026-0001', template: 'product', fields, url: 'https://example.com/gb-200', signature: { status: 'valid' } });
    // Resolvable over the Handle protocol at once.
    const r = await resolveHandle({ host: '127.0.0.1', port: platform.identifier.entry.port }, '88.100.1/GB-2026-0001', { types: ['product.model'] });
    expect('values' in r && r.values[0]!.data.toString()).toBe('GB-200');

    // Another value added beside the template's (over /api/handles) is kept by a template update, and signed again.
    const extra = { values: [{ index: 2000, type: 'EMAIL', data: { format: 'string', value: 'service@example.com' } }] };
    expect((await call('PUT', '/api/handles/88.100.1/GB-2026-0001?index=2000', 'demo-engineer', extra)).status).toBe(200);
    const updated = await call('PUT', path, 'demo-engineer', { template: 'product', fields: { ...fields, batch: '2026-12' } });
    expect(updated.status).toBe(200);
    expect(updated.json.fields.batch).toBe('2026-12');
    expect(updated.json.url).toBeNull();
    expect(updated.json.values.map((v: { index: number }) => v.index)).toContain(2000);
    expect(updated.json.signature).toMatchObject({ status: 'valid' });
    expect(updated.json.signature.verified).toContain(2000);

    // Create-only (If-None-Match: *): a taken identifier is refused, not overwritten.
    const again = await fetch(`${platform.httpUrl}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${await login('demo-engineer')}`, 'content-type': 'application/json', 'if-none-match': '*' }, body: JSON.stringify({ template: 'product', fields: { name: '覆盖', manufacturer: 'x' } }) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe('ID_RECORD_EXISTS');
    expect((await call('GET', path, 'demo-engineer')).json.fields.name).toBe('齿轮箱 GB-200');

    // A record laid out otherwise (the demo's device records) loses nothing to a template write.
    const device = '/api/v1/identifiers/records/88.100.1/dev.cnc-01';
    const uid = (await call('GET', device, 'demo-engineer')).json.values.find((v: { type: string }) => v.type === 'device.uid').data.value;
    const written = await call('PUT', device, 'demo-engineer', { template: 'device', fields: { type: '数控机床', model: 'VMC-850', serial: 'SN-0001' } });
    expect(written.status).toBe(200);
    expect(written.json.fields).toMatchObject({ type: '数控机床', model: 'VMC-850', serial: 'SN-0001' });
    // PUT replaces the template's values (name and URL were left out, so they go); device.uid is no template field.
    const types = written.json.values.map((v: { type: string }) => v.type);
    expect(types).toContain('device.uid');
    expect(types).not.toContain('device.name');
    expect(written.json.values.find((v: { type: string }) => v.type === 'device.uid').data.value).toBe(uid);
    expect(new Set(written.json.values.map((v: { index: number }) => v.index)).size).toBe(written.json.values.length);
    expect(written.json.signature).toMatchObject({ status: 'valid' });

    expect((await call('PUT', '/api/v1/identifiers/records/88.100.2/X', 'demo-engineer', { template: 'product', fields })).status).toBe(403);
    expect((await call('PUT', '/api/v1/identifiers/records/88.1%2400/abc', 'demo-engineer', { template: 'product', fields })).json.error.code).toBe('ID_MALFORMED');
    expect((await call('DELETE', path, 'demo-operator')).status).toBe(403);
    expect((await call('DELETE', path, 'demo-engineer')).status).toBe(204);
    expect((await call('DELETE', path, 'demo-engineer')).json.error.code).toBe('ID_RECORD_NOT_FOUND');
  });

  it('rotates the key: new writes carry the new key, what the old one signed still verifies, and a change behind the platform’s back is reported', async () => {
    const before = await call('PUT', '/api/v1/identifiers/records/88.100.1/ROT-1', 'demo-engineer', { template: 'product', fields: { name: '旧批次', manufacturer: '渝联' } });
    expect(before.json.signature.signer).toBe('300:0.NA/88.100.1');
    expect((await call('POST', '/api/v1/identifiers/keys', 'demo-engineer', { prefix: '88.100.1' })).status).toBe(403);
    expect((await call('POST', '/api/v1/identifiers/keys', 'demo-admin', { prefix: '88.100.2' })).status).toBe(404);
    const rotated = await call('POST', '/api/v1/identifiers/keys', 'demo-admin', { prefix: '88.100.1' });
    expect(rotated.status).toBe(201);
    expect(rotated.json).toMatchObject({ prefix: '88.100.1', index: 301, signer: '301:0.NA/88.100.1', state: 'active' });
    expect(JSON.stringify(rotated.json)).not.toMatch(/private/i);
    const listed = await call('GET', '/api/v1/identifiers/keys?prefix=88.100.1', 'demo-admin');
    expect(listed.json.items.map((k: { index: number; state: string }) => `${k.index}:${k.state}`)).toEqual(['301:active', '300:retired']);

    const after = await call('PUT', '/api/v1/identifiers/records/88.100.1/ROT-2', 'demo-engineer', { template: 'product', fields: { name: '新批次', manufacturer: '渝联' } });
    expect(after.json.signature).toMatchObject({ status: 'valid', signer: '301:0.NA/88.100.1' });
    expect((await call('GET', '/api/v1/identifiers/records/88.100.1/ROT-1', 'demo-engineer')).json.signature).toMatchObject({ status: 'valid', signer: '300:0.NA/88.100.1' });

    // Changed in the enterprise node's store directly, around the signing: resolvers see it.
    const node = platform.identifier.nodes.find((n) => n.prefix === '88.100.1')!;
    await node.records!.update('88.100.1/ROT-2', (vs) => vs.map((v) => (v.type === 'product.name' ? handleValue(v.index, v.type, '伪造批次') : v)));
    const tampered = await call('GET', '/api/v1/identifiers/records/88.100.1/ROT-2', 'demo-engineer');
    expect(tampered.json.signature).toMatchObject({ status: 'invalid', reason: expect.stringContaining('product.name') });
    const page = await (await fetch(`${platform.httpUrl}/r/88.100.1/ROT-2`)).text();
    expect(page).toContain('data-signature="invalid"');
    expect(page).toContain('签名无效');

    // Retired: the next write is unsigned, the old signatures still verify.
    expect((await call('POST', '/api/v1/identifiers/keys/88.100.1/301/retire', 'demo-admin')).json.state).toBe('retired');
    const unsigned = await call('PUT', '/api/v1/identifiers/records/88.100.1/ROT-3', 'demo-engineer', { template: 'product', fields: { name: '未签名', manufacturer: '渝联' } });
    expect(unsigned.json.signature).toEqual({ status: 'unsigned' });
    expect((await call('POST', '/api/v1/identifiers/keys/88.100.1/999/retire', 'demo-admin')).json.error.code).toBe('ID_KEY_NOT_FOUND');
  });

  it('refuses to write identifiers of a prefix delegated to an enterprise’s own node outside the platform', async () => {
    const applied = await call('POST', '/api/v1/identifiers/prefixes', 'demo-admin', { orgName: '重庆渝联演示机械有限公司', creditCode: '91350100M000100Y43', contact: '张工 023-00000000', code: '77', site: { host: '203.0.113.5', port: 2641 } });
    expect(applied.status).toBe(201);
    expect((await call('POST', '/api/v1/identifiers/prefixes/88.100.77/approve', 'demo-registrar', {})).status).toBe(200);
    const body = { values: [{ index: 1, type: 'URL', data: { format: 'string', value: 'https://example.com/x' } }] };
    const put = await call('PUT', '/api/handles/88.100.77/X-1', 'demo-registrar', body);
    expect(put.status).toBe(400);
    expect(put.json).toMatchObject({ responseCode: ResponseCode.SERVER_NOT_RESP, message: expect.stringContaining('ID_RECORD_REMOTE') });
    const viaRecords = await call('PUT', '/api/v1/identifiers/records/88.100.77/X-1', 'demo-registrar', { template: 'product', fields: { name: 'x', manufacturer: 'y' } });
    expect(viaRecords.status).toBe(409);
    expect(viaRecords.json.error.code).toBe('ID_RECORD_REMOTE');
  });

  it('lets the top-level node register and approve a secondary node, delegating 0.NA/88.<node> to it', async () => {
    const site = { host: '198.51.100.7', port: 2642 };
    const apply = (body: Record<string, unknown>) => call('POST', '/api/v1/identifiers/nodes', 'demo-admin', { orgName: '重庆某二级节点运营有限公司', creditCode: '91350100M000100Y43', contact: '王工 023-11111111', ...body });
    expect((await apply({ code: '300' })).json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'site' } });
    // The platform's own secondary node holds 88.100.
    expect((await apply({ code: '100', site })).json.error.code).toBe('PREFIX_TAKEN');
    const applied = await apply({ code: '300', site });
    expect(applied.status).toBe(201);
    expect(applied.json).toMatchObject({ prefix: '88.300', parent: '88', kind: 'secondary', state: 'pending' });
    // The registries are apart: an enterprise prefix is not a node, and the other way round.
    expect((await call('GET', '/api/v1/identifiers/nodes/88.100.1', 'demo-registrar')).status).toBe(404);
    expect((await call('GET', '/api/v1/identifiers/prefixes/88.300', 'demo-registrar')).status).toBe(404);
    expect((await call('POST', '/api/v1/identifiers/nodes/88.300/approve', 'demo-admin', {})).status).toBe(403);
    const approved = await call('POST', '/api/v1/identifiers/nodes/88.300/approve', 'demo-registrar', {});
    expect(approved.json.state).toBe('approved');
    const nodes = await call('GET', '/api/v1/identifiers/nodes', 'demo-authority');
    expect(nodes.json.items.map((a: { prefix: string }) => a.prefix).sort()).toEqual(['88.100', '88.300']);
    // The top-level node now delegates 88.300 to the new node's site.
    const top = platform.identifier.nodes.find((n) => n.role === 'top')!;
    const delegation = await resolveHandle({ host: '127.0.0.1', port: top.port }, '0.NA/88.300');
    const value = 'values' in delegation ? delegation.values.find((v) => v.type === 'HS_SITE.PREFIX') : undefined;
    expect(value && decodeSite(value.data).servers[0]).toMatchObject({ address: site.host, interfaces: [{ port: site.port, protocol: 0 }, { port: site.port, protocol: 1 }] });
  });
});

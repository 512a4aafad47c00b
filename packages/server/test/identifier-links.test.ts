import { ResponseCode, resolveHandle } from '@yulian/protocols';
import { demoPassword, type TestPlatform, startDemoPlatform } from '@yulian/server';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;
// jsqr is CommonJS: its function is module.exports and, as TypeScript sees it, its `default`.
const jsQR = jsqr.default;

const reducer = '88.100.1/RV40E.202106.0023';
const reducer2 = '88.100.1/RV40E.202106.0024';
const bearing = '88.100.1/SP6205.202203.1187';

describe('traceability: identifier links, the public page /r and QR codes', () => {
  let platform: TestPlatform;
  const token: Record<string, string> = {};
  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, as: string, payload?: unknown) => {
    const res = await platform.app.inject({ method, url, headers: { authorization: `Bearer ${token[as]}` }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Json };
  };
  /** Resolves at the demo enterprise's own node, past the recursive entry's cache. */
  const atEnterprise = (handle: string) => resolveHandle({ host: '127.0.0.1', port: platform.identifier.nodes.find((n) => n.prefix === '88.100.1')!.port }, handle);
  const page = (path: string, headers: Record<string, string> = {}) => fetch(`${platform.httpUrl}${path}`, { headers });

  beforeAll(async () => {
    platform = await startDemoPlatform('trace');
    for (const user of ['demo-admin', 'demo-engineer', 'demo-operator', 'demo2-admin']) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token[user] = res.json<{ token: string }>().token;
    }
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('creates, lists and deletes a link, publishing it on the source’s Handle record', async () => {
    const created = await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: bearing, type: 'component-of', target: reducer, note: '输出端轴承' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: bearing, type: 'component-of', target: reducer, stage: null, note: '输出端轴承', createdBy: 'demo-engineer' });
    const id = created.body['id'] as string;

    const published = await atEnterprise(bearing);
    const link = 'values' in published ? published.values.find((v) => v.type === 'YL.link') : undefined;
    expect(link?.index).toBe(2000);
    expect(JSON.parse(link!.data.toString())).toEqual({ id, type: 'component-of', target: reducer, note: '输出端轴承' });

    const fromReducer = await api('GET', `/api/v1/identifiers/links?identifier=${encodeURIComponent(reducer)}`, 'demo-operator');
    expect(fromReducer.status).toBe(200);
    expect(fromReducer.body['items']).toMatchObject([{ id, direction: 'in', relation: 'has-component', other: bearing }]);
    expect((await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: reducer, type: 'has-component', target: bearing })).body).toMatchObject({ error: { code: 'ID_LINK_EXISTS' } });

    // Writes: identifier:write, and only under the enterprise's own prefixes.
    expect((await api('POST', '/api/v1/identifiers/links', 'demo-operator', { source: reducer, type: 'in-batch', target: reducer2 })).status).toBe(403);
    expect((await api('POST', '/api/v1/identifiers/links', 'demo2-admin', { source: reducer, type: 'in-batch', target: reducer2 })).status).toBe(403);
    expect((await api('DELETE', `/api/v1/identifiers/links/${id}`, 'demo2-admin')).body).toMatchObject({ error: { code: 'ID_LINK_NOT_FOUND' } });
    expect((await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: reducer, type: 'event', stage: 'service', ...{ date: '2024-13-01' } })).body).toMatchObject({ error: { code: 'ID_LINK_INVALID' } });
    expect((await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: reducer, type: 'in-batch', target: '88.100.1/NO-SUCH-BATCH' })).body).toMatchObject({ error: { code: 'ID_UNRESOLVABLE' } });
    expect((await api('GET', '/api/v1/identifiers/links?identifier=no-slash', 'demo-operator')).body).toMatchObject({ error: { code: 'ID_MALFORMED', details: { problem: 'ID_NO_SUFFIX' } } });

    expect((await api('DELETE', `/api/v1/identifiers/links/${id}`, 'demo-engineer')).status).toBe(204);
    expect((await api('GET', `/api/v1/identifiers/links?identifier=${encodeURIComponent(reducer)}`, 'demo-operator')).body['items']).toEqual([]);
    const after = await atEnterprise(bearing);
    expect('values' in after && after.values.some((v) => v.type === 'YL.link')).toBe(false);
    expect((await api('DELETE', `/api/v1/identifiers/links/${id}`, 'demo-engineer')).status).toBe(404);
    const doc = (await platform.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/identifiers/links', '/api/v1/identifiers/links/{id}', '/api/v1/identifiers/chain', '/api/v1/devices/{id}/identifier']));
  });

  it('walks the chain of an identifier both ways and ends at a cycle', async () => {
    const link = async (source: string, type: string, target: string) => {
      const r = await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source, type, target });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    await link(bearing, 'component-of', reducer);
    await link(reducer, 'in-batch', reducer2);
    await link(reducer2, 'supplied-by', bearing); // closes the cycle bearing → reducer → reducer2 → bearing
    const event = await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: reducer, type: 'event', stage: 'production', date: '2021-06-18', target: '88.100.1/dev.cnc-01', note: '壳体精加工 housing machined' });
    expect(event.status).toBe(201);
    const chain = await api('GET', `/api/v1/identifiers/chain?identifier=${encodeURIComponent(bearing)}&depth=6`, 'demo-operator');
    expect(chain.status).toBe(200);
    const nodes = (chain.body['nodes'] as Array<{ identifier: string; depth: number }>).map((n) => [n.identifier, n.depth]);
    expect(nodes.sort()).toEqual([['88.100.1/dev.cnc-01', 2], [bearing, 0], [reducer, 1], [reducer2, 1]].sort());
    expect(chain.body['links']).toHaveLength(4);
    expect(chain.body['truncated']).toBe(false);
    expect((await api('GET', `/api/v1/identifiers/chain?identifier=${encodeURIComponent(bearing)}&depth=1`, 'demo-operator')).body['nodes']).toHaveLength(3);
  });

  it('serves the public page of a device without login, in Chinese first and in English on request', async () => {
    const zh = await page('/r/88.100.1/dev.cnc-01');
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toContain('text/html');
    const html = await zh.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('88.100.1/dev.cnc-01');
    expect(html).toContain('设备名称'); // the device template's label of device.name
    expect(html).toContain('<svg'); // the QR code
    expect(html).not.toContain('HS_ADMIN');
    const en = await (await page('/r/88.100.1/dev.cnc-01', { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Serial number');
    expect(await (await page('/r/88.100.1/dev.cnc-01?lang=en')).text()).toContain('<html lang="en">');
    expect(await (await page('/r/88.100.1/dev.cnc-01?lang=zh', { 'accept-language': 'en' })).text()).toContain('<html lang="zh-CN">');
    // A product with its links and lifecycle events (from the chain test above).
    const product = await (await page(`/r/${reducer}?lang=en`)).text();
    expect(product).toContain('Template: <span class="badge">Product');
    expect(product).toContain('Lifecycle event');
    expect(product).toContain(`href="/r/${bearing}?lang=en"`);
  });

  it('answers 404 for an unknown identifier and 400 with the code for an invalid one', async () => {
    const missing = await page('/r/88.100.1/NOT-THERE');
    expect(missing.status).toBe(404);
    const text = await missing.text();
    expect(text).toContain('标识不存在');
    expect(text).toContain('ID_UNRESOLVABLE');
    const invalid = await page('/r/88..100/X', { 'accept-language': 'en' });
    expect(invalid.status).toBe(400);
    const body = await invalid.text();
    expect(body).toContain('Invalid identifier');
    expect(body).toContain('ID_MALFORMED');
    expect(body).toContain('ID_PREFIX_SEGMENT_EMPTY');
    expect((await page('/qr/png/88.100.1/NOT-THERE')).status).toBe(404);
    const bad = await page('/qr/svg/no-suffix');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'ID_MALFORMED' } });
  });

  it('escapes the record’s values, the identifier and link notes on the page', async () => {
    const evil = '88.100.1/<script>alert(1)</script>';
    const put = await fetch(`${platform.httpUrl}/api/handles/${evil.split('/').map(encodeURIComponent).join('/')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token['demo-engineer']}` },
      body: JSON.stringify({ values: [{ index: 2, type: 'product.name', data: { format: 'string', value: '<img src=x onerror=alert(2)>' } }, { index: 1, type: 'URL', data: { format: 'string', value: 'javascript:alert(3)' } }] }),
    });
    expect(put.status).toBe(201);
    const note = await api('POST', '/api/v1/identifiers/links', 'demo-engineer', { source: evil, type: 'event', stage: 'design', date: '2024-01-02', note: '"><svg onload=alert(4)>' });
    expect(note.status).toBe(201);
    const res = await page(`/r/${evil.split('/').map(encodeURIComponent).join('/')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(4)&gt;');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('draws QR codes whose PNG decodes to the absolute URL of the public page', async () => {
    const png = await page('/qr/png/88.100.1/dev.cnc-01');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(`${platform.httpUrl}/r/88.100.1/dev.cnc-01`);
    // The URL follows the host the caller used.
    const other = await platform.app.inject({ url: '/qr/png/88.100.1/dev.cnc-01', headers: { host: 'trace.example.cn:8443' } });
    const img2 = PNG.sync.read(other.rawPayload);
    expect(jsQR(new Uint8ClampedArray(img2.data), img2.width, img2.height)?.data).toBe('http://trace.example.cn:8443/r/88.100.1/dev.cnc-01');
    const svg = await page('/qr/svg/88.100.1/dev.cnc-01');
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('gives a device created at runtime its identifier at once, and the device API names it', async () => {
    const cnc = platform.factory!.deviceConfigs('127.0.0.1')[0] as unknown as Json;
    const created = await api('POST', '/api/v1/devices', 'demo-engineer', { gatewayId: 'embedded', config: { ...cnc, id: 'trace-lathe-9', name: '追溯测试车床' } });
    expect(created.status).toBe(201);
    const resolved = await atEnterprise('88.100.1/dev.trace-lathe-9');
    expect(resolved.rc).toBe(ResponseCode.SUCCESS);
    expect('values' in resolved && resolved.values.find((v) => v.type === 'device.name')?.data.toString()).toBe('追溯测试车床');
    const named = await api('GET', '/api/v1/devices/trace-lathe-9/identifier', 'demo-operator');
    expect(named.body).toEqual({ device: 'trace-lathe-9', identifier: '88.100.1/dev.trace-lathe-9', registered: true, pageUrl: '/r/88.100.1/dev.trace-lathe-9', qrSvgUrl: '/qr/svg/88.100.1/dev.trace-lathe-9', qrPngUrl: '/qr/png/88.100.1/dev.trace-lathe-9' });
    expect((await page('/r/88.100.1/dev.trace-lathe-9')).status).toBe(200);
    // Deleting the device keeps its identifier: its history stays traceable.
    expect((await api('DELETE', '/api/v1/devices/trace-lathe-9', 'demo-engineer')).status).toBe(204);
    expect((await atEnterprise('88.100.1/dev.trace-lathe-9')).rc).toBe(ResponseCode.SUCCESS);
    expect((await api('GET', '/api/v1/devices/no-such-device/identifier', 'demo-operator')).status).toBe(404);
  });
});

import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, signSessionToken, storeBackends } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

const backends = await storeBackends();
const secret = 'test-secret-test-secret-test-secret-0123456789';

for (const backend of backends) {
  describe.skipIf(!backend.available)(`HTTP API on ${backend.name}`, () => {
    let platform: Platform;
    let cleanup: () => Promise<void>;
    const tokens: Record<string, string> = {};

    const call = async (method: string, url: string, options: { as?: string; body?: unknown; payload?: string; headers?: Record<string, string>; ip?: string } = {}) => {
      const res = await platform.app.inject({
        method: method as 'GET',
        url,
        ...(options.ip ? { remoteAddress: options.ip } : {}),
        headers: { ...(options.as ? { authorization: `Bearer ${tokens[options.as] ?? options.as}` } : {}), ...(options.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.body !== undefined ? { payload: options.body as object } : {}),
        ...(options.payload !== undefined ? { payload: options.payload } : {}),
      });
      return { status: res.statusCode, body: res.body ? (res.headers['content-type']?.toString().includes('json') ? res.json() : res.body) : undefined };
    };
    const errorsTotal = async (code: string): Promise<number> => {
      const text = (await call('GET', '/metrics')).body as string;
      const line = text.split('\n').find((l) => l.startsWith(`yulian_api_errors_total{code="${code}"}`));
      return line ? Number(line.split(' ')[1]) : 0;
    };

    beforeAll(async () => {
      const opened = await backend.open();
      cleanup = opened.cleanup;
      await opened.store.close();
      const config = loadConfig({
        env: { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DATA_DIR: opened.dataDir, YULIAN_STORE: opened.url, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd', YULIAN_DEMO: '1', YULIAN_TOKEN_SECRET: secret, YULIAN_HTTP_BODY_LIMIT: '4096' },
      });
      platform = await startPlatform(config, { quiet: true });
      for (const [name, password] of [['admin', 'admin-Passw0rd'], ['demo-admin', demoPassword], ['demo2-admin', demoPassword], ['demo-operator', demoPassword], ['demo-authority', demoPassword]] as const) {
        const res = await call('POST', '/api/v1/auth/login', { body: { username: name, password } });
        expect(res.status).toBe(200);
        tokens[name] = (res.body as { token: string }).token;
      }
    });
    afterAll(async () => {
      await platform?.close();
      await cleanup?.();
    });

    it('answers /healthz with 200 and the store and bus state', async () => {
      const res = await call('GET', '/healthz');
      expect(res).toMatchObject({ status: 200, body: { status: 'ok', store: { dialect: backend.name, up: true }, bus: { kind: 'memory' } } });
    });

    it('listens dual-stack on IPv4 and IPv6', async () => {
      const port = Number(new URL(platform.httpUrl).port);
      for (const host of ['127.0.0.1', '::1']) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host, port }, () => {
            socket.end();
            resolve();
          });
          socket.on('error', reject);
        });
      }
    });

    it('rejects malformed JSON with 400 BAD_REQUEST and counts it', async () => {
      const before = await errorsTotal('BAD_REQUEST');
      const res = await call('POST', '/api/v1/auth/login', { payload: '{"username": "admin", ' });
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
      expect(await errorsTotal('BAD_REQUEST')).toBe(before + 1);
    });

    it('rejects a body that fails the schema with 400 VALIDATION_FAILED naming the field', async () => {
      const res = await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'x', password: 'short', role: 'wizard' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect(JSON.stringify(res.body)).toMatch(/role/);
    });

    it('answers an unknown route with 404 JSON', async () => {
      expect(await call('GET', '/api/v1/no-such-thing', { as: 'admin' })).toMatchObject({ status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } });
    });

    it('answers a body over the limit with 413', async () => {
      const res = await call('POST', '/api/v1/enterprises', { as: 'admin', payload: JSON.stringify({ name: 'x'.repeat(8000), code: 'BIG' }) });
      expect(res).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    });

    it('answers 401 for a missing, malformed, expired or revoked token', async () => {
      expect(await call('GET', '/api/v1/auth/me')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
      expect(await call('GET', '/api/v1/auth/me', { as: 'garbage' })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
      const me = (await call('GET', '/api/v1/auth/me', { as: 'admin' })).body as { id: string };
      const expired = signSessionToken(secret, { sub: me.id, tid: null, role: 'platform-admin' }, 60, Date.now() - 3_600_000).token;
      expect(await call('GET', '/api/v1/auth/me', { as: expired })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_EXPIRED' } } });
      const login = await call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'admin-Passw0rd' } });
      const token = (login.body as { token: string }).token;
      expect((await call('POST', '/api/v1/auth/logout', { as: token })).status).toBe(204);
      expect(await call('GET', '/api/v1/auth/me', { as: token })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_REVOKED' } } });
    });

    it('answers 403 when the role lacks the right', async () => {
      expect(await call('GET', '/api/v1/users', { as: 'demo-operator' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      expect(await call('POST', '/api/v1/enterprises', { as: 'demo-admin', body: { name: 'X', code: 'X-403' } })).toMatchObject({ status: 403 });
    });

    it('answers 404 for another tenant’s enterprise and users, and lists only the caller’s tenant', async () => {
      const demo1 = ((await call('GET', '/api/v1/enterprises', { as: 'demo-admin' })).body as { items: Array<{ id: string; code: string }> }).items;
      expect(demo1.map((e) => e.code)).toEqual(['DEMO-0001']);
      const users1 = ((await call('GET', '/api/v1/users', { as: 'demo-admin' })).body as { items: Array<{ id: string; username: string; tenantId: string }> }).items;
      expect(users1.every((u) => u.tenantId === demo1[0]!.id)).toBe(true);
      expect(users1.map((u) => u.username)).not.toContain('admin');

      const operator = users1.find((u) => u.username === 'demo-operator')!;
      expect(await call('GET', `/api/v1/enterprises/${demo1[0]!.id}`, { as: 'demo2-admin' })).toMatchObject({ status: 404, body: { error: { code: 'ENTERPRISE_NOT_FOUND' } } });
      expect(await call('GET', `/api/v1/users/${operator.id}`, { as: 'demo2-admin' })).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
      expect(await call('PATCH', `/api/v1/users/${operator.id}`, { as: 'demo2-admin', body: { displayName: 'hijacked' } })).toMatchObject({ status: 404 });
      expect(await call('DELETE', `/api/v1/users/${operator.id}`, { as: 'demo2-admin' })).toMatchObject({ status: 404 });
      expect((await call('GET', `/api/v1/users/${operator.id}`, { as: 'demo-admin' })).body).toMatchObject({ displayName: '值班操作员 李师傅' });
    });

    it('lets an authority see aggregates across tenants', async () => {
      const res = await call('GET', '/api/v1/overview', { as: 'demo-authority' });
      expect(res.body).toMatchObject({ scope: 'all', enterprises: 2 });
      expect((await call('GET', '/api/v1/overview', { as: 'demo2-admin' })).body).toMatchObject({ scope: 'tenant', enterprises: 1, users: 1 });
    });

    it('runs the enterprise and user lifecycle and records it in the audit log', async () => {
      const ent = await call('POST', '/api/v1/enterprises', { as: 'admin', body: { name: '重庆测试机械', code: `T-${backend.name}`, district: '九龙坡区', industry: '机械' } });
      expect(ent.status).toBe(201);
      const id = (ent.body as { id: string }).id;
      expect((await call('POST', '/api/v1/enterprises', { as: 'admin', body: { name: 'dup', code: `T-${backend.name}` } })).body).toMatchObject({ error: { code: 'ENTERPRISE_EXISTS' } });
      const user = await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'test-engineer', password: 'password-123', role: 'engineer', tenantId: id } });
      expect(user).toMatchObject({ status: 201, body: { username: 'test-engineer', tenantId: id, disabled: false } });
      const userId = (user.body as { id: string }).id;
      expect((await call('PATCH', `/api/v1/users/${userId}`, { as: 'admin', body: { role: 'operator' } })).body).toMatchObject({ role: 'operator' });
      expect((await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'no-tenant', password: 'password-123', role: 'engineer' } })).body).toMatchObject({ error: { code: 'TENANT_REQUIRED' } });
      expect((await call('DELETE', `/api/v1/users/${userId}`, { as: 'admin' })).status).toBe(204);
      const audit = ((await call('GET', '/api/v1/audit?limit=20', { as: 'admin' })).body as { items: Array<{ action: string; target: string }> }).items;
      expect(audit.map((a) => `${a.action} ${a.target}`)).toEqual(expect.arrayContaining(['user.create test-engineer', 'user.role-change test-engineer', 'user.delete test-engineer', `enterprise.create ${id}`]));
    });

    it('locks an account after repeated failed logins with 423', async () => {
      await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'lockme', password: 'password-123', role: 'viewer', tenantId: ((await call('GET', '/api/v1/enterprises', { as: 'demo-admin' })).body as { items: Array<{ id: string }> }).items[0]!.id } });
      for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/auth/login', { body: { username: 'lockme', password: 'wrong-password' } })).status).toBe(401);
      expect(await call('POST', '/api/v1/auth/login', { body: { username: 'lockme', password: 'password-123' } })).toMatchObject({ status: 423, body: { error: { code: 'ACCOUNT_LOCKED' } } });
    });

    it('authenticates machines with API tokens', async () => {
      const created = await call('POST', '/api/v1/api-tokens', { as: 'demo-admin', body: { name: 'gateway-1', expiresInDays: 30 } });
      expect(created.status).toBe(201);
      const { token, id } = created.body as { token: string; id: string };
      expect((await call('GET', '/api/v1/users', { as: token })).status).toBe(200);
      expect((await call('DELETE', `/api/v1/api-tokens/${id}`, { as: 'demo-admin' })).status).toBe(204);
      expect(await call('GET', '/api/v1/users', { as: token })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_REVOKED' } } });
    });

    it('publishes an OpenAPI 3 document generated from the route schemas, and the API page', async () => {
      const doc = (await call('GET', '/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/v1/auth/login', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/enterprises']));
      expect(doc.paths['/api/v1/auth/login']).toHaveProperty('post.requestBody');
      const page = await call('GET', '/api/docs/');
      expect(page.status).toBe(200);
      expect(String(page.body)).toMatch(/swagger/i);
    });

    it('changes only the enterprise fields a PATCH names, and refuses unknown fields', async () => {
      const created = (await call('POST', '/api/v1/enterprises', { as: 'admin', body: { name: 'Patch Co', code: `patch-${backend.name}`, district: '渝中区', industry: '食品' } })).body as { id: string; code: string };
      expect(created.code).toBe(`PATCH-${backend.name.toUpperCase()}`);
      const patched = await call('PATCH', `/api/v1/enterprises/${created.id}`, { as: 'admin', body: { name: 'Patch Co Renamed' } });
      expect(patched.body).toMatchObject({ name: 'Patch Co Renamed', district: '渝中区', industry: '食品' });
      expect(await call('PATCH', `/api/v1/enterprises/${created.id}`, { as: 'admin', body: { tenantId: 'x' } })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      expect(await call('PATCH', `/api/v1/enterprises/${created.id}`, { as: 'admin', body: { district: '北京市朝阳区' } })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      // Codes compare upper-case.
      expect(await call('POST', '/api/v1/enterprises', { as: 'admin', body: { name: 'Dup', code: `PATCH-${backend.name}` } })).toMatchObject({ status: 409, body: { error: { code: 'ENTERPRISE_EXISTS' } } });
    });

    it('lets users change their own password, with a clear 400 for a wrong current one', async () => {
      const ent = ((await call('GET', '/api/v1/enterprises', { as: 'demo2-admin' })).body as { items: Array<{ id: string }> }).items[0]!;
      await call('POST', '/api/v1/users', { as: 'demo2-admin', body: { username: 'self-service', password: 'password-one', role: 'viewer', tenantId: ent.id } });
      const token = ((await call('POST', '/api/v1/auth/login', { body: { username: 'self-service', password: 'password-one' } })).body as { token: string }).token;
      expect(await call('POST', '/api/v1/auth/password', { as: token, body: { currentPassword: 'nope', newPassword: 'password-two' } })).toMatchObject({ status: 400, body: { error: { code: 'CURRENT_PASSWORD_WRONG' } } });
      const changed = await call('POST', '/api/v1/auth/password', { as: token, body: { currentPassword: 'password-one', newPassword: 'password-two' } });
      expect(changed).toMatchObject({ status: 200, body: { user: { username: 'self-service' } } });
      expect((await call('GET', '/api/v1/auth/me', { as: (changed.body as { token: string }).token })).status).toBe(200);
      expect((await call('POST', '/api/v1/auth/login', { body: { username: 'self-service', password: 'password-two' } })).status).toBe(200);
      expect((await call('POST', '/api/v1/auth/login', { body: { username: 'self-service', password: 'password-one' } })).status).toBe(401);
    });

    it('answers another tenant’s enterprise id in a new user with 404, not a silent move', async () => {
      const other = ((await call('GET', '/api/v1/enterprises', { as: 'demo-admin' })).body as { items: Array<{ id: string }> }).items[0]!;
      expect(await call('POST', '/api/v1/users', { as: 'demo2-admin', body: { username: 'sneaky', password: 'password-123', role: 'viewer', tenantId: other.id } })).toMatchObject({ status: 404, body: { error: { code: 'ENTERPRISE_NOT_FOUND' } } });
    });

    it('refuses to mint an API token with an API token', async () => {
      const first = (await call('POST', '/api/v1/api-tokens', { as: 'demo-admin', body: { name: 'script' } })).body as { token: string };
      expect(await call('POST', '/api/v1/api-tokens', { as: first.token, body: { name: 'child' } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    });

    it('locks unknown usernames like real ones, so lockout does not reveal which exist', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) answers.push((await call('POST', '/api/v1/auth/login', { body: { username: 'no-such-user', password: 'x' }, ip: '10.7.0.1' })).status);
      expect(answers).toEqual([401, 401, 401, 401, 401, 423]);
    });

    it('answers 429 with Retry-After when one address tries to log in too often', async () => {
      let last = 0;
      let retryAfter: string | undefined;
      for (let i = 0; i < 21; i++) {
        const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.8.0.1', payload: { username: `flood-${i}`, password: 'x' } });
        last = res.statusCode;
        retryAfter = res.headers['retry-after'] as string | undefined;
      }
      expect(last).toBe(429);
      expect(retryAfter).toBe('60');
    });

    it('sends security headers, and a content security policy with the console page', async () => {
      const page = await platform.app.inject({ url: '/' });
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect((await platform.app.inject({ url: '/healthz' })).headers['x-content-type-options']).toBe('nosniff');
    });

    it('marks login and health as needing no token in the OpenAPI document', async () => {
      const doc = (await call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      expect(doc.paths['/api/v1/auth/login']?.['post']?.security).toEqual([]);
      expect(doc.paths['/healthz']?.['get']?.security).toEqual([]);
      expect(doc.paths['/api/v1/users']?.['get']?.security).toBeUndefined();
    });

    it('exposes process, HTTP, store and bus metrics in Prometheus text', async () => {
      const text = (await call('GET', '/metrics')).body as string;
      for (const name of ['yulian_process_cpu_seconds_total', 'yulian_http_requests_total', 'yulian_store_queries_total', 'yulian_store_up', 'yulian_bus_messages', 'yulian_api_errors_total']) {
        expect(text).toContain(name);
      }
      expect(text).toContain('# TYPE yulian_store_queries_total counter');
      const queries = (t: string): number => Number(/^yulian_store_queries_total (\d+)/m.exec(t)?.[1]);
      await call('GET', '/api/v1/users', { as: 'admin' });
      const later = (await call('GET', '/metrics')).body as string;
      expect(queries(later)).toBeGreaterThan(queries(text));
    });
  });
}

describe('restart', () => {
  it('keeps all data across a stop and a start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yulian-restart-'));
    const env = { YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DATA_DIR: dataDir, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' };
    try {
      let platform = await startPlatform(loadConfig({ env }), { quiet: true });
      const login = async () => (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-Passw0rd' } })).json<{ token: string }>().token;
      let token = await login();
      await platform.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { authorization: `Bearer ${token}` }, payload: { name: 'Kept', code: 'KEEP-1' } });
      await platform.close();
      platform = await startPlatform(loadConfig({ env }), { quiet: true });
      expect(platform.bootstrap.passwordSource).toBe('existing');
      token = await login();
      const list = (await platform.app.inject({ url: '/api/v1/enterprises', headers: { authorization: `Bearer ${token}` } })).json<{ items: Array<{ code: string }> }>();
      expect(list.items.map((e) => e.code)).toContain('KEEP-1');
      await platform.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

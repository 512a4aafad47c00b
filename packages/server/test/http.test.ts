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

    const call = async (method: string, url: string, options: { as?: string; body?: unknown; payload?: string; headers?: Record<string, string> } = {}) => {
      const res = await platform.app.inject({
        method: method as 'GET',
        url,
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

    it('exposes process, HTTP, store and bus metrics in Prometheus text', async () => {
      const text = (await call('GET', '/metrics')).body as string;
      for (const name of ['yulian_process_cpu_seconds_total', 'yulian_http_requests_total', 'yulian_store_queries_total', 'yulian_store_up', 'yulian_bus_messages', 'yulian_api_errors_total']) {
        expect(text).toContain(name);
      }
    });
  });
}

describe('restart', () => {
  it('keeps all data across a stop and a start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yulian-restart-'));
    const env = { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DATA_DIR: dataDir, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' };
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

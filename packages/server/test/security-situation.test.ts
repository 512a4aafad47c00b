import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { type AttackTarget, runAttack } from '@yulian/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The security situation on the demo plant: the inventory joins the registered (guarded) machines with
 * what their traffic shows; a scripted attack from another loopback address makes the attacker a
 * discovered, unregistered client, and the risk of the attacked machine, the enterprise and its district
 * (两江新区) rise with reasons that say why. The authority sees every district; an enterprise its own.
 */
describe('security situation: inventory, risk with reasons, protection lists', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;
  let targets: Array<AttackTarget & { deviceId: string }>;
  const attacker = '127.0.0.81';

  beforeAll(async () => {
    platform = await startDemoPlatform('security-situation');
    call = demoApi(platform);
    targets = platform.security.guards().map((g) => ({ host: '127.0.0.1', port: g.listen.port, unitId: 1, deviceId: g.deviceId }));
    await waitFor('polling through every guard', async () => (platform.security.guards().every((g) => g.stats.transactions >= 3) ? true : undefined), 30_000);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const assets = async (user = 'demo-analyst'): Promise<Json[]> => (await call('GET', '/api/v1/security/assets', user)).json.items;

  it('lists every guarded machine as a registered device seen through its guard, and the gateway as the platform’s own client', async () => {
    const items = await assets();
    for (const t of targets) {
      const a = items.find((x) => x.deviceId === t.deviceId);
      expect(a, t.deviceId).toMatchObject({ kind: 'device', role: 'server', protocol: 'modbus-tcp', via: 'guard', enterprise: '重庆渝联示范工厂', district: '两江新区' });
      expect(a.observations).toBeGreaterThan(0);
      expect(a.risk).toBe(0);
    }
    expect(items.find((x) => x.ip === '127.0.0.1' && x.role === 'client')).toMatchObject({ kind: 'gateway', protocol: 'modbus' });
    expect(items.filter((x) => x.kind === 'discovered')).toEqual([]);
  });

  it('shows an attacker as a discovered client and raises the risk of the machine, the enterprise and 两江新区, with reasons', async () => {
    const cnc = targets.find((t) => t.deviceId.startsWith('cnc'))!;
    await runAttack('unauthorized-command', { targets: [cnc], from: attacker });
    await waitFor('the attack’s event', async () => ((await call('GET', `/api/v1/security/events?sourceIp=${attacker}`, 'demo-analyst')).json.items.length ? true : undefined));
    const items = await assets();
    const client = items.find((x) => x.ip === attacker);
    expect(client).toMatchObject({ kind: 'discovered', role: 'client', protocol: 'modbus', via: 'guard', enterprise: '重庆渝联示范工厂' });
    expect(client.writes).toBeGreaterThan(0);
    expect(client.reasons.map((r: Json) => r.code)).toEqual(expect.arrayContaining(['EVENT_SEVERITY', 'UNKNOWN_CLIENT', 'UNKNOWN_CLIENT_WRITES']));
    expect(client.reasons.find((r: Json) => r.code === 'UNKNOWN_CLIENT').zh).toContain('未登记');
    expect(client.risk).toBe(Math.min(100, client.reasons.reduce((s: number, r: Json) => s + r.points, 0)));
    const machine = items.find((x) => x.deviceId === cnc.deviceId);
    expect(machine.events).toBeGreaterThan(0);
    expect(machine.reasons.map((r: Json) => r.code)).toContain('EVENT_SEVERITY');
    // Only discovered rows when asked for them.
    expect((await call('GET', '/api/v1/security/assets?kind=discovered', 'demo-analyst')).json.items.map((x: Json) => x.ip)).toEqual([attacker]);

    const situation = (await call('GET', '/api/v1/security/situation', 'demo-authority')).json;
    expect(situation.totals.events).toBeGreaterThan(0);
    expect(situation.topSources[0]).toMatchObject({ ip: attacker });
    expect(situation.districts).toHaveLength(40);
    const liangjiang = situation.districts[0];
    expect(liangjiang).toMatchObject({ district: '两江新区', en: 'Liangjiang New Area', attacked: 1 });
    expect(liangjiang.events).toBe(situation.totals.events);
    expect(liangjiang.reasons[0]).toMatchObject({ code: 'TOP_ENTERPRISE' });
    expect(liangjiang.reasons[0].zh).toContain('重庆渝联示范工厂');
    const demo = situation.enterprises.find((e: Json) => e.code === 'DEMO-0001');
    expect(demo.reasons.map((r: Json) => r.code)).toEqual(expect.arrayContaining(['TOP_ASSET', 'EVENT_SEVERITY', 'DISCOVERED_ASSETS']));
    expect(demo.reasons.find((r: Json) => r.code === 'TOP_ASSET').zh).toContain(attacker);
    expect(situation.districts.find((d: Json) => d.district === '璧山区')).toMatchObject({ enterprises: 1, events: 0, risk: 0 });
  });

  it('shows an enterprise its own only, the authority every enterprise', async () => {
    const other = (await call('GET', '/api/v1/security/situation', 'demo2-admin')).json;
    expect(other.districts.map((d: Json) => d.district)).toEqual(['璧山区']);
    expect(other.enterprises.map((e: Json) => e.code)).toEqual(['DEMO-0002']);
    expect(other.totals.events).toBe(0);
    expect(await assets('demo2-admin')).toEqual([]);
    const risk = (await call('GET', '/api/v1/security/risk', 'demo-authority')).json;
    expect(risk.enterprises.map((e: Json) => e.code).sort()).toEqual(['DEMO-0001', 'DEMO-0002']);
    expect((await call('GET', '/api/v1/security/assets', 'demo-operator')).status).toBe(403);
  });

  it('lets the authority keep the city and district lists; enterprises see whether they are listed; the listing weighs in the risk', async () => {
    const cnc = targets.find((t) => t.deviceId.startsWith('cnc'))!;
    expect((await call('POST', '/api/v1/security/protection', 'demo-analyst', { level: 'city', enterprise: 'DEMO-0001', reason: 'x' })).status).toBe(403);
    const city = await call('POST', '/api/v1/security/protection', 'demo-authority', { level: 'city', enterprise: 'DEMO-0001', reason: '市级重点装备制造企业' });
    expect(city.status).toBe(201);
    expect(city.json).toMatchObject({ level: 'city', district: '两江新区', enterpriseName: '重庆渝联示范工厂', deviceId: null, createdBy: 'demo-authority' });
    expect((await call('POST', '/api/v1/security/protection', 'demo-authority', { level: 'city', enterprise: 'DEMO-0001', reason: 'again' })).json.error.code).toBe('PROTECTION_OBJECT_EXISTS');
    const device = await call('POST', '/api/v1/security/protection', 'demo-authority', { level: 'district', enterprise: 'DEMO-0001', deviceId: cnc.deviceId, reason: '关键数控设备' });
    expect(device.json).toMatchObject({ level: 'district', district: '两江新区', deviceId: cnc.deviceId });
    expect((await call('POST', '/api/v1/security/protection', 'demo-authority', { level: 'district', enterprise: 'DEMO-0002', deviceId: cnc.deviceId, reason: 'x' })).json.error).toMatchObject({ code: 'PROTECTION_OBJECT_INVALID', details: { field: 'deviceId' } });
    expect((await call('POST', '/api/v1/security/protection', 'demo-authority', { level: 'district', enterprise: 'DEMO-0002', district: '不存在区', reason: 'x' })).status).toBe(400);

    expect((await call('GET', '/api/v1/security/protection', 'demo-analyst')).json.items.map((o: Json) => o.level)).toEqual(['city', 'district']);
    expect((await call('GET', '/api/v1/security/protection', 'demo2-admin')).json.items).toEqual([]);
    const machine = (await assets()).find((x) => x.deviceId === cnc.deviceId);
    expect(machine).toMatchObject({ protection: 'district' });
    expect(machine.reasons.map((r: Json) => r.code)).toContain('PROTECTED_DISTRICT');
    const demo = (await call('GET', '/api/v1/security/risk', 'demo-analyst')).json.enterprises[0];
    expect(demo).toMatchObject({ code: 'DEMO-0001', protection: 'city' });
    expect(demo.reasons.map((r: Json) => r.code)).toContain('PROTECTED_CITY');

    expect((await call('PATCH', `/api/v1/security/protection/${city.json.id}`, 'demo-authority', { reason: '改为：市级重点' })).json.reason).toBe('改为：市级重点');
    expect((await call('DELETE', `/api/v1/security/protection/${city.json.id}`, 'demo-analyst')).status).toBe(403);
    expect((await call('DELETE', `/api/v1/security/protection/${city.json.id}`, 'demo-authority')).status).toBe(204);
    expect((await call('DELETE', `/api/v1/security/protection/${city.json.id}`, 'demo-authority')).json.error.code).toBe('PROTECTION_OBJECT_NOT_FOUND');
    const audit = await platform.store.db.selectFrom('audit_log').select(['action', 'actor', 'target']).where('action', 'like', 'security.protection.%').execute();
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual(expect.arrayContaining(['security.protection.add demo-authority', 'security.protection.update demo-authority', 'security.protection.remove demo-authority']));
  });
});

import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { allTenants } from '@yulian/core';
import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { type AttackKind, type AttackTarget, runAttack } from '@yulian/sim';
import { createModbusTcpClient } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Scripted attacks against the demo plant's virtual PLCs, each from its own loopback address (so the
 * rules' per-source windows never mix), through real Modbus TCP clients and the guards the demo puts in
 * front of every machine. Each must raise its ATT&CK technique and an incident; the plant's own polling
 * raises nothing. Active response, off by default, is switched on for the last test: a source that keeps
 * sending unauthorised commands is then blocked at every guard.
 */
describe('OT attack detection on the demo plant', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;
  let targets: Array<AttackTarget & { deviceId: string }>;

  beforeAll(async () => {
    platform = await startDemoPlatform('security-detection', { YULIAN_BLOCK_LEVEL: '13', YULIAN_BLOCK_SECONDS: '600' });
    call = demoApi(platform);
    targets = platform.security.guards().map((g) => ({ host: '127.0.0.1', port: g.listen.port, unitId: 1, deviceId: g.deviceId }));
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const loginToken = async (username: string): Promise<string> => ((await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'demo-Passw0rd' } })).json() as Json).token;
  const eventsFrom = async (ip: string): Promise<Json[]> => (await call('GET', `/api/v1/security/events?sourceIp=${ip}&limit=1000`, 'demo-analyst')).json.items;

  it('puts a guard in front of every demo machine, and the plant’s own polling raises no event', async () => {
    expect(targets.length).toBeGreaterThanOrEqual(5);
    expect(new Set(targets.map((t) => t.deviceId)).size).toBe(targets.length);
    // The gateway polls every machine through its guard: each has seen matched transactions.
    await waitFor('polling through every guard', async () => (platform.security.guards().every((g) => g.stats.transactions >= 5) ? true : undefined), 30_000);
    // An allowed write through the platform's command path (an operator's setpoint change) is not an attack either.
    const cnc = targets.find((t) => t.deviceId.startsWith('cnc'))!;
    const sent = await call('POST', `/api/v1/devices/${cnc.deviceId}/commands`, 'demo-engineer', { point: 'feed_override', value: 110 });
    expect(sent.status).toBeLessThan(300);
    await platform.security.flush();
    const events = (await call('GET', '/api/v1/security/events?limit=1000', 'demo-analyst')).json.items as Json[];
    expect(events.map((e) => `${e.ruleId} ${e.titleEn} from ${e.source.ip}`)).toEqual([]);
  });

  const cases: Array<{ kind: AttackKind; from: string; technique: string }> = [
    { kind: 'unauthorized-command', from: '127.0.0.71', technique: 'T0855' },
    { kind: 'modify-parameter', from: '127.0.0.72', technique: 'T0836' },
    { kind: 'brute-force-io', from: '127.0.0.73', technique: 'T0806' },
    { kind: 'remote-system-discovery', from: '127.0.0.74', technique: 'T0846' },
    { kind: 'system-information-discovery', from: '127.0.0.75', technique: 'T0888' },
    { kind: 'denial-of-service', from: '127.0.0.76', technique: 'T0814' },
  ];
  for (const c of cases) {
    it(`${c.kind} from ${c.from} raises ${c.technique} and an incident`, async () => {
      const cnc = targets.filter((t) => t.deviceId.startsWith('cnc'));
      const report = await runAttack(c.kind, { targets: c.kind === 'remote-system-discovery' ? targets : cnc, from: c.from });
      expect(report.connections).toBeGreaterThan(0);
      const event = await waitFor(`a ${c.technique} event from ${c.from}`, async () => {
        await platform.security.flush();
        return (await eventsFrom(c.from)).find((e) => e.techniques.includes(c.technique) && e.level >= 10);
      });
      expect(event).toMatchObject({ source: { ip: c.from }, tenantId: expect.any(String), status: 'new' });
      const incident = await waitFor(`an incident for ${c.from}`, async () => (await platform.incidents.list(allTenants)).find((i) => i.sources.includes(c.from) && i.techniques.includes(c.technique)));
      expect(incident.status).toBe('open');
      // Every event of the attack is at or below one incident per technique: a burst is one incident.
      const mine = (await platform.incidents.list(allTenants)).filter((i) => i.sources.includes(c.from));
      expect(new Set(mine.map((i) => i.id)).size).toBe(mine.length);
      expect(mine.filter((i) => i.techniques.includes(c.technique))).toHaveLength(1);
    });
  }

  it('valid-account brute force: failed logins to the platform from one address raise T0859 and an incident', async () => {
    const from = '127.0.0.79';
    for (let i = 0; i < 6; i++) {
      const r = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, payload: { username: 'demo-operator', password: `guess-${i}` } });
      expect([401, 423, 429]).toContain(r.statusCode);
    }
    const event = await waitFor('a brute-force event', async () => {
      await platform.security.flush();
      return (await eventsFrom(from)).find((e) => e.techniques.includes('T0859'));
    });
    expect(event).toMatchObject({ level: 10, techniques: ['T0859', 'T1110'] });
    await waitFor('its incident', async () => (await platform.incidents.list(allTenants)).find((i) => i.sources.includes(from) && i.techniques.includes('T0859')));
  });

  it('hears the identifier resolution node: a burst of malformed Handle packets is an event', async () => {
    const udp = platform.identifier.ports.find((p) => p.protocol === 'udp')!;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.78', resolve));
    // A Handle 2.10 envelope (RFC 3652 §2.2) carrying a 4-byte message: too short for a message header.
    const junk = Buffer.alloc(24);
    junk.writeUInt8(2, 0);
    junk.writeUInt8(10, 1);
    junk.writeUInt32BE(1, 8);
    junk.writeUInt32BE(4, 16);
    junk.writeUInt32BE(0xffffffff, 20);
    for (let i = 0; i < 30; i++) await new Promise<void>((resolve) => socket.send(junk, udp.port, '127.0.0.1', () => resolve()));
    socket.close();
    const event = await waitFor('a malformed-burst event from 127.0.0.78', async () => {
      await platform.security.flush();
      // A platform-wide event (the node is the platform's): not in an enterprise's list.
      return (await platform.security.events.list(allTenants, { sourceIp: '127.0.0.78' })).find((e) => e.ruleId === 100707);
    });
    expect(event).toMatchObject({ techniques: ['T0814'], tenantId: null });
  });

  it('analyses an uploaded capture, refuses a broken one, and checks a rule file line by line', async () => {
    const token = await loginToken('demo-analyst');
    const upload = async (body: Buffer, type = 'application/vnd.tcpdump.pcap') => platform.app.inject({ method: 'POST', url: '/api/v1/security/captures?name=modbus_example.pcap', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });
    const good = await upload(await readFile(fileURLToPath(new URL('../../../../shared/data/pcap/modbus_example.pcap', import.meta.url))));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ summary: { format: 'pcap', packets: 100, modbus: { transactions: 24 } } });
    const broken = await upload(Buffer.from('this is not a capture at all, just text'));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('CAPTURE_MALFORMED');
    // The monitor keeps running: the guards still report.
    const before = platform.security.engine.stats().observations;
    await waitFor('more observations', async () => (platform.security.engine.stats().observations > before ? true : undefined));

    const rules = ['- id: 200001', '  level: 9', '  title: 自定义', '  title_en: Custom', '  match: { kind: modbus, functionCode: 90 }', '- id: 200002', '  level: 99', '  title: 坏规则', '  title_en: Bad', '  colour: red'].join('\n');
    const checked = await platform.app.inject({ method: 'POST', url: '/api/v1/security/rules/check', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, payload: rules });
    const result = checked.json() as Json;
    expect(result.ok).toBe(false);
    expect(result.errors.map((e: Json) => e.line)).toEqual(expect.arrayContaining([7, 10]));
    expect(result.errors.map((e: Json) => e.message).join(' ')).toMatch(/level/);
  });

  it('blocks a source that keeps sending unauthorised commands, at every guard, and audits it', async () => {
    const from = '127.0.0.77';
    const cnc = targets.find((t) => t.deviceId.startsWith('cnc'))!;
    // Off by default (as Wazuh's active response is until configured); only platform staff switch it on.
    expect((await call('GET', '/api/v1/security/active-response', 'demo-analyst')).json).toEqual({ enabled: false, blockLevel: 13, blockSeconds: 600 });
    expect((await call('PUT', '/api/v1/security/active-response', 'demo-analyst', { enabled: true })).status).toBe(403);
    const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-Passw0rd' } });
    const switched = await platform.app.inject({ method: 'PUT', url: '/api/v1/security/active-response', headers: { authorization: `Bearer ${(login.json() as Json).token}` }, payload: { enabled: true } });
    expect(switched.json()).toMatchObject({ enabled: true });
    for (let i = 0; i < 6; i++) await runAttack('unauthorized-command', { targets: [cnc], from });
    await waitFor('the block', async () => (platform.security.isBlocked(from) ? true : undefined));
    // Refused now, at this guard and at any other.
    const other = targets.find((t) => t.deviceId !== cnc.deviceId)!;
    const client = createModbusTcpClient({ host: '127.0.0.1', port: other.port, localAddress: from, timeoutMs: 500, backoffMs: 50 });
    await expect(client.request(1, { fc: 3, address: 0, count: 1 })).rejects.toBeDefined();
    await client.close();
    const blocks = (await call('GET', '/api/v1/security/blocks', 'demo-analyst')).json.items as Json[];
    expect(blocks).toEqual([expect.objectContaining({ ip: from, by: 'active-response' })]);
    const audit = (await call('GET', '/api/v1/audit?action=security.block', 'demo-admin')).json.items as Json[];
    expect(audit.some((a) => a.target === from)).toBe(true);
    // The analyst lifts it; the source is served again.
    expect((await call('DELETE', `/api/v1/security/blocks/${from}`, 'demo-analyst')).status).toBe(204);
    const again = createModbusTcpClient({ host: '127.0.0.1', port: other.port, localAddress: from, timeoutMs: 500, backoffMs: 50 });
    expect(await again.request(1, { fc: 3, address: 0, count: 1 })).toMatchObject({ kind: 'registers' });
    await again.close();
  });
});

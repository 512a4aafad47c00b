import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayRegistry, type Store, allTenants, createGatewayRegistry, isYulianError, storeBackends, tenantScope } from '@yulian/core';

const backends = await storeBackends();
const code = (c: string) => (e: unknown) => isYulianError(e) && e.code === c;
const modbus = (host: string) => ({ id: 'x', protocol: 'modbus-tcp', host, points: [] });

for (const backend of backends) {
  describe.skipIf(!backend.available)(`gateway registry on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let registry: GatewayRegistry;
    const tenants = ['t-a', 't-b'];

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      for (const id of tenants) await store.db.insertInto('tenants').values({ id, name: id, code: id.toUpperCase(), district: '', industry: '', created_at: 0, updated_at: 0 }).execute();
      registry = createGatewayRegistry(store);
    });
    afterAll(async () => cleanup());

    it('registers a gateway with a token that authenticates it, keeping only the token’s hash', async () => {
      const { gateway, token } = await registry.create({ id: 'gw-a1', name: 'Line 1', tenantId: 't-a' });
      expect(token).toMatch(/^ylg_[A-Za-z0-9_-]{40,}$/);
      expect(gateway).toMatchObject({ id: 'gw-a1', tenantId: 't-a', configVersion: 1, lastSeen: null, tokenPrefix: token.slice(0, 10) });
      expect((await registry.authenticate(token)).id).toBe('gw-a1');
      const row = await store.db.selectFrom('gateways').selectAll().where('id', '=', 'gw-a1').executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(token);
      await expect(registry.create({ id: 'gw-a1', name: 'again', tenantId: 't-a' })).rejects.toSatisfy(code('GATEWAY_EXISTS'));
    });

    it('refuses unknown and replaced tokens', async () => {
      const { token } = await registry.create({ id: 'gw-a2', name: '', tenantId: 't-a' });
      await expect(registry.authenticate('ylg_nope')).rejects.toSatisfy(code('GATEWAY_TOKEN_INVALID'));
      await expect(registry.authenticate('not-even-a-gateway-token')).rejects.toSatisfy(code('GATEWAY_TOKEN_INVALID'));
      const rotated = await registry.rotateToken(tenantScope('t-a'), 'gw-a2');
      await expect(registry.authenticate(token)).rejects.toSatisfy(code('GATEWAY_TOKEN_INVALID'));
      expect((await registry.authenticate(rotated.token)).id).toBe('gw-a2');
    });

    it('keeps each enterprise’s gateways and devices to itself', async () => {
      await registry.create({ id: 'gw-b1', name: 'B', tenantId: 't-b' });
      await registry.putDevice(tenantScope('t-b'), { id: 'dev-b1', gatewayId: 'gw-b1', name: 'Press', protocol: 'modbus-tcp', source: 'configured', config: modbus('10.0.0.9') });
      expect((await registry.list(tenantScope('t-a'))).map((g) => g.id)).not.toContain('gw-b1');
      await expect(registry.get(tenantScope('t-a'), 'gw-b1')).rejects.toSatisfy(code('GATEWAY_NOT_FOUND'));
      await expect(registry.getDevice(tenantScope('t-a'), 'dev-b1')).rejects.toSatisfy(code('DEVICE_NOT_FOUND'));
      // Another tenant cannot attach a device to a gateway it does not see, nor take over a device id.
      await expect(registry.putDevice(tenantScope('t-a'), { id: 'dev-x', gatewayId: 'gw-b1', name: '', protocol: 'modbus-tcp', source: 'configured', config: {} })).rejects.toSatisfy(code('GATEWAY_NOT_FOUND'));
      await expect(registry.putDevice(tenantScope('t-a'), { id: 'dev-b1', gatewayId: 'gw-a1', name: '', protocol: 'modbus-tcp', source: 'configured', config: {} })).rejects.toSatisfy(code('DEVICE_EXISTS'));
      expect((await registry.listDevices(allTenants)).map((d) => d.id)).toContain('dev-b1');
    });

    it('bumps the configuration version when a configured device changes, not when nothing changed or a device was discovered', async () => {
      const scope = tenantScope('t-a');
      const v0 = (await registry.configOf('gw-a1')).version;
      await registry.putDevice(scope, { id: 'dev-a1', gatewayId: 'gw-a1', name: 'CNC', protocol: 'modbus-tcp', source: 'configured', config: modbus('10.0.0.1') });
      const c1 = await registry.configOf('gw-a1');
      expect(c1.version).toBe(v0 + 1);
      expect(c1.devices.map((d) => d.config)).toEqual([modbus('10.0.0.1')]);
      await registry.putDevice(scope, { id: 'dev-a1', gatewayId: 'gw-a1', name: 'CNC', protocol: 'modbus-tcp', source: 'configured', config: modbus('10.0.0.1') });
      expect((await registry.configOf('gw-a1')).version).toBe(v0 + 1);
      await registry.putDevice(scope, { id: 'dev-a1', gatewayId: 'gw-a1', name: 'CNC', protocol: 'modbus-tcp', source: 'configured', config: modbus('10.0.0.2') });
      expect((await registry.configOf('gw-a1')).version).toBe(v0 + 2);
      await registry.putDevice(scope, { id: 'sp-node', gatewayId: 'gw-a1', name: 'Sensor', protocol: 'sparkplug', source: 'discovered', config: { points: [] } });
      const c3 = await registry.configOf('gw-a1');
      expect(c3.version).toBe(v0 + 2);
      expect(c3.devices.map((d) => d.id)).toEqual(['dev-a1']); // discovered devices are not pushed back down
      await expect(registry.putDevice(scope, { id: 'dev-a1', gatewayId: 'gw-a1', name: '', protocol: 'modbus-tcp', source: 'configured', config: {} }, { create: true })).rejects.toSatisfy(code('DEVICE_EXISTS'));
      await registry.removeDevice(scope, 'dev-a1');
      expect(await registry.configOf('gw-a1')).toEqual({ version: v0 + 3, devices: [] });
    });

    it('records status reports with the time they arrived', async () => {
      const before = Date.now();
      const g = await registry.reportStatus('gw-a1', { online: true, buffered: 12 });
      expect(g.status).toEqual({ online: true, buffered: 12 });
      expect(g.lastSeen).toBeGreaterThanOrEqual(before);
      await registry.remove(tenantScope('t-a'), 'gw-a1');
      await expect(registry.get(allTenants, 'gw-a1')).rejects.toSatisfy(code('GATEWAY_NOT_FOUND'));
      expect(await registry.listDevices(allTenants, { gatewayId: 'gw-a1' })).toEqual([]);
    });
  });
}

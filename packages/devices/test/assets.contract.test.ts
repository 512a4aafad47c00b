import { type PointInput, pointSchema } from '@yulian/contracts';
import { type GatewayRegistry, type Store, YulianError, allTenants, createGatewayRegistry, storeBackends, tenantScope } from '@yulian/core';
import { type AssetService, createAssetService } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const points: PointInput[] = [
  { key: 'spindle_rpm', dataType: 'uint16', unit: 'rpm', modbus: { table: 'holding', address: 0 } },
  { key: 'spindle_temp', dataType: 'float32', unit: '°C', modbus: { table: 'input', address: 10 }, dataClass: { category: 'operations', level: 2 } },
];
const rejectsWith = async (p: Promise<unknown>, code: string): Promise<void> => {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === code);
};
/** A CSV of `n` Modbus devices on gateway `gw-a`, placed in area `line-1` of site `plant-1`. */
const csvOf = (n: number, from = 1): string =>
  ['id,name,gateway,host,port,unitId,site,area,x,y,lat,lon,serial', ...Array.from({ length: n }, (_, i) => `m-${from + i},机器 ${from + i},gw-a,10.0.${(i >> 8) & 255}.${i & 255},502,1,plant-1,line-1,${((i % 50) / 50).toFixed(3)},0.5,29.6,106.5,SN${from + i}`)].join('\n');

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`assets on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let registry: GatewayRegistry;
    let assets: AssetService;
    let a: string;
    let b: string;

    beforeEach(async () => {
      const opened = await backend.open();
      store = opened.store;
      cleanup = opened.cleanup;
      const ts = Date.now();
      a = 'tenant-a';
      b = 'tenant-b';
      for (const [id, code] of [[a, 'A-1'], [b, 'B-1']] as const) await store.db.insertInto('tenants').values({ id, code, name: code, district: '', industry: '', created_at: ts, updated_at: ts }).execute();
      registry = createGatewayRegistry(store);
      await registry.create({ id: 'gw-a', name: 'A', tenantId: a });
      await registry.create({ id: 'gw-b', name: 'B', tenantId: b });
      assets = createAssetService({ store, registry });
    });
    afterEach(async () => {
      await cleanup();
    });

    /** Site plant-1 with workshop ws-1 and line line-1 for enterprise A; a CNC profile. */
    async function tree() {
      const scope = tenantScope(a);
      const site = await assets.nodes.create(scope, { kind: 'site', code: 'plant-1', name: '一厂' });
      const ws = await assets.nodes.create(scope, { kind: 'workshop', code: 'ws-1', name: '机加车间', parentId: site.id });
      const line = await assets.nodes.create(scope, { kind: 'line', code: 'line-1', name: '一线', parentId: ws.id });
      const profile = await assets.profiles.create(scope, { name: 'CNC', protocol: 'modbus-tcp', points: points.map((p) => pointSchema.parse(p)), defaults: { pollIntervalMs: 500 }, dataClass: { category: 'production.process' }, description: '', manufacturer: 'YL', model: 'VMC850' });
      return { scope, site, ws, line, profile };
    }

    it('builds a site → workshop → line tree per enterprise and refuses a wrong parent or a taken code', async () => {
      const { scope, site, ws, line } = await tree();
      await rejectsWith(assets.nodes.create(scope, { kind: 'line', code: 'x', name: 'x', parentId: site.id }), 'ASSET_PLACEMENT_INVALID');
      await rejectsWith(assets.nodes.create(scope, { kind: 'site', code: 'plant-1', name: 'again' }), 'ASSET_NODE_EXISTS');
      await rejectsWith(assets.nodes.create(tenantScope(b), { kind: 'workshop', code: 'x', name: 'x', parentId: site.id }), 'ASSET_NODE_NOT_FOUND');
      await rejectsWith(assets.nodes.create(allTenants, { kind: 'site', code: 'p', name: 'p' }), 'TENANT_REQUIRED');
      // Another enterprise may use the same code.
      await assets.nodes.create(tenantScope(b), { kind: 'site', code: 'plant-1', name: 'B 一厂' });
      await assets.devices.put(scope, 'cnc-01', { siteId: site.id, areaId: line.id, x: 0.25, y: 0.75 }, 'tester');
      const roots = await assets.devices.tree(scope);
      expect(roots).toHaveLength(1);
      expect(roots[0]).toMatchObject({ id: site.id, children: [{ id: ws.id, children: [{ id: line.id, devices: ['cnc-01'] }] }] });
      expect(await assets.devices.tree(tenantScope(b))).toEqual([expect.objectContaining({ code: 'plant-1', children: [], devices: [] })]);
      await rejectsWith(assets.nodes.remove(scope, ws.id), 'ASSET_NODE_NOT_EMPTY');
      await rejectsWith(assets.nodes.get(tenantScope(b), site.id), 'ASSET_NODE_NOT_FOUND');
    });

    it('places a device on the site plan, derives the site from an area and refuses placements that do not fit', async () => {
      const { scope, site, line } = await tree();
      const other = await assets.nodes.create(scope, { kind: 'site', code: 'plant-2', name: '二厂' });
      const { asset, created } = await assets.devices.put(scope, 'cnc-01', { areaId: line.id, x: 0.5, y: 0.1, lat: 29.6, lon: 106.5, serial: 'SN1' }, 'tester');
      expect(created).toBe(true);
      expect(asset).toMatchObject({ device: 'cnc-01', tenantId: a, siteId: site.id, areaId: line.id, x: 0.5, y: 0.1, lat: 29.6, lon: 106.5, lifecycle: 'planned', serial: 'SN1' });
      expect(asset.identifier).toBe(`urn:uuid:${asset.uid}`);
      await rejectsWith(assets.devices.put(scope, 'cnc-01', { siteId: other.id, areaId: line.id }, null), 'ASSET_PLACEMENT_INVALID');
      await rejectsWith(assets.devices.put(scope, 'cnc-01', { x: 1.5 }, null), 'ASSET_PLACEMENT_INVALID');
      await rejectsWith(assets.devices.put(scope, 'cnc-01', { siteId: 'nope' }, null), 'ASSET_NODE_NOT_FOUND');
      // Moving to another site drops the area; the identifier never changes.
      const moved = (await assets.devices.put(scope, 'cnc-01', { siteId: other.id, name: '改名' }, null)).asset;
      expect(moved).toMatchObject({ siteId: other.id, areaId: null, name: '改名', uid: asset.uid });
      expect(await assets.devices.byUid(scope, moved.identifier)).toMatchObject({ device: 'cnc-01' });
    });

    it('keeps enterprises apart: another’s device is not found and its id cannot be taken', async () => {
      await registry.putDevice(tenantScope(b), { id: 'b-dev', gatewayId: 'gw-b', name: 'B', protocol: 'modbus-tcp', source: 'configured', config: {} });
      expect(await assets.devices.find(tenantScope(a), 'b-dev')).toBeUndefined();
      await rejectsWith(assets.devices.ensure(tenantScope(a), 'b-dev', null), 'DEVICE_NOT_FOUND');
      await rejectsWith(assets.devices.put(tenantScope(a), 'b-dev', { name: 'mine' }, null), 'DEVICE_EXISTS');
      // A configured device without a record is simply unplaced; its record is made in service on first use.
      expect(await assets.devices.ensure(tenantScope(b), 'b-dev', null)).toMatchObject({ tenantId: b, lifecycle: 'in_service', siteId: null });
      expect(await assets.devices.list(tenantScope(a))).toEqual([]);
    });

    it('moves through the lifecycle, refuses skipped or final transitions and records each in the history', async () => {
      const scope = tenantScope(a);
      await assets.devices.put(scope, 'pump-1', {}, 'eng');
      for (const to of ['installed', 'commissioning', 'in_service', 'under_maintenance', 'in_service'] as const) {
        await assets.lifecycle.transition(scope, 'pump-1', { to, reason: `to ${to}` }, 'eng');
      }
      await rejectsWith(assets.lifecycle.transition(scope, 'pump-1', { to: 'planned', reason: 'back' }, 'eng'), 'LIFECYCLE_TRANSITION_INVALID');
      await assets.lifecycle.transition(scope, 'pump-1', { to: 'retired', reason: 'worn out' }, 'boss');
      await rejectsWith(assets.lifecycle.transition(scope, 'pump-1', { to: 'in_service', reason: 'again' }, 'eng'), 'LIFECYCLE_TRANSITION_INVALID');
      await rejectsWith(assets.lifecycle.transition(tenantScope(b), 'pump-1', { to: 'retired', reason: 'x' }, 'eng'), 'DEVICE_NOT_FOUND');
      const history = await assets.history.list(scope, 'pump-1');
      expect(history.map((h) => [h.kind, h.from, h.to])).toEqual([
        ['lifecycle', 'in_service', 'retired'],
        ['lifecycle', 'under_maintenance', 'in_service'],
        ['lifecycle', 'in_service', 'under_maintenance'],
        ['lifecycle', 'commissioning', 'in_service'],
        ['lifecycle', 'installed', 'commissioning'],
        ['lifecycle', 'planned', 'installed'],
        ['created', null, 'planned'],
      ]);
      expect(history[0]).toMatchObject({ actor: 'boss', reason: 'worn out' });
      expect(await assets.history.list(tenantScope(b), 'pump-1')).toEqual([]);
    });

    it('imports nothing when a row is bad, and reports every bad row with its line and column', async () => {
      const { scope, profile } = await tree();
      await registry.putDevice(scope, { id: 'taken', gatewayId: 'gw-a', name: 'T', protocol: 'modbus-tcp', source: 'configured', config: {} });
      const csv = [
        'id,name,gateway,host,port,site,area,x,y',
        'ok-1,好,gw-a,10.0.0.1,502,plant-1,line-1,0.1,0.2',
        'ok-1,重复,gw-a,10.0.0.2,502,plant-1,,,',
        'taken,占用,gw-a,10.0.0.3,502,,,,',
        'bad-2,"逗号, 名",gw-b,10.0.0.4,70000,nowhere,,0.5,',
        ',无 id,gw-a,10.0.0.5,502,,,,',
        'ok-2,好,gw-a,10.0.0.6,502,plant-1,ws-1,0.3,0.3',
      ].join('\r\n');
      const err = await assets.importCsv({ scope, profileId: profile.id, csv, mode: 'all-or-nothing', actor: 'eng' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(YulianError);
      const report = (err as YulianError).details as { imported: number; errors: Array<{ row: number; column: string | null; code: string }> };
      expect((err as YulianError).code).toBe('IMPORT_ROWS_INVALID');
      expect(report.imported).toBe(0);
      expect(report.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, 'id', 'DUPLICATE_IN_FILE'],
        [4, 'id', 'DEVICE_EXISTS'],
        [5, 'gateway', 'GATEWAY_NOT_FOUND'],
        [5, 'port', 'OUT_OF_RANGE'],
        [5, 'site', 'SITE_NOT_FOUND'],
        [6, 'id', 'REQUIRED'],
      ]);
      expect(await assets.devices.list(scope)).toEqual([]);
      expect((await registry.listDevices(scope)).map((d) => d.id)).toEqual(['taken']);

      const partial = await assets.importCsv({ scope, profileId: profile.id, csv, mode: 'valid-rows', actor: 'eng' });
      expect(partial).toMatchObject({ imported: 2, skipped: 4 });
      expect(partial.errors).toHaveLength(6);
      const made = await assets.devices.list(scope);
      expect(made.map((d) => [d.device, d.lifecycle, d.profileId, d.model])).toEqual([['ok-1', 'planned', profile.id, 'VMC850'], ['ok-2', 'planned', profile.id, 'VMC850']]);
      const config = (await registry.getDevice(scope, 'ok-1')).config as { points: Array<{ key: string; dataClass?: unknown }>; pollIntervalMs: number; host: string };
      expect(config).toMatchObject({ host: '10.0.0.1', pollIntervalMs: 500 });
      // The profile's data class fills points that set none.
      expect(config.points.map((p) => p.dataClass)).toEqual([{ category: 'production.process' }, { category: 'operations', level: 2 }]);
      expect((await assets.history.list(scope, 'ok-2'))[0]).toMatchObject({ kind: 'created', actor: 'eng', to: 'planned' });
    });

    it('refuses a CSV with an unknown column or an unclosed quote', async () => {
      const { scope, profile } = await tree();
      await rejectsWith(assets.importCsv({ scope, profileId: profile.id, csv: 'id,colour\nx,red', mode: 'valid-rows', actor: null }), 'CSV_INVALID');
      await rejectsWith(assets.importCsv({ scope, profileId: profile.id, csv: 'id,name\n"x,open', mode: 'valid-rows', actor: null }), 'CSV_INVALID');
      await rejectsWith(assets.importCsv({ scope: tenantScope(b), profileId: profile.id, csv: 'id\nx', mode: 'valid-rows', actor: null }), 'PROFILE_NOT_FOUND');
    });

    it('imports 1,000 devices from a profile in one transaction, well under 10 s, and their gateway picks them up', async () => {
      const { scope, profile, site } = await tree();
      const version = (await registry.get(scope, 'gw-a')).configVersion;
      const t0 = performance.now();
      const report = await assets.importCsv({ scope, profileId: profile.id, csv: csvOf(1000), mode: 'all-or-nothing', actor: 'eng' });
      const ms = performance.now() - t0;
      console.log(`[assets] 1,000-row CSV import on ${backend.name}: ${ms.toFixed(0)} ms (reported ${report.durationMs} ms)`);
      expect(report).toMatchObject({ imported: 1000, skipped: 0, errors: [] });
      expect(ms).toBeLessThan(10_000);
      const cfg = await registry.configOf('gw-a');
      expect(cfg.devices).toHaveLength(1000);
      expect(cfg.version).toBe(version + 1);
      expect((await assets.devices.list(scope, { siteId: site.id })).length).toBe(1000);
      // Importing the same file again clashes on every id.
      const again = await assets.importCsv({ scope, profileId: profile.id, csv: csvOf(3), mode: 'valid-rows', actor: 'eng' });
      expect(again.errors.map((e) => e.code)).toEqual(['DEVICE_EXISTS', 'DEVICE_EXISTS', 'DEVICE_EXISTS']);
    });

    it('keeps floor plans and documents in the store, recognising images by their bytes', async () => {
      const { scope, site, ws } = await tree();
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
      const withPlan = await assets.nodes.setImagePlan(scope, site.id, { data: png, name: 'plan.png', actor: 'eng' });
      expect(withPlan.plan).toMatchObject({ kind: 'image', contentType: 'image/png', size: png.length });
      expect((await assets.nodes.planImage(scope, site.id)).data.equals(png)).toBe(true);
      await rejectsWith(assets.nodes.setImagePlan(scope, site.id, { data: Buffer.from('GIF89a……'), name: 'x.gif', actor: null }), 'FILE_TYPE_INVALID');
      await rejectsWith(assets.nodes.setImagePlan(scope, site.id, { data: Buffer.from('<svg onload="alert(1)"></svg>'), name: 'x.svg', actor: null }), 'FILE_TYPE_INVALID');
      await rejectsWith(assets.nodes.setGridPlan(scope, ws.id, { rows: 2, cols: 2 }), 'ASSET_PLACEMENT_INVALID');
      expect((await assets.nodes.setGridPlan(scope, site.id, { rows: 20, cols: 30 })).plan).toEqual({ kind: 'grid', rows: 20, cols: 30 });
      await rejectsWith(assets.nodes.planImage(scope, site.id), 'FILE_NOT_FOUND');
      expect(await store.db.selectFrom('files').select('id').execute()).toEqual([]);

      await assets.devices.put(scope, 'cnc-01', {}, null);
      const pdf = Buffer.from('%PDF-1.7 manual');
      const doc = await assets.addDocument(scope, 'cnc-01', { name: '说明书.pdf', category: 'manual', contentType: 'application/pdf', data: pdf, actor: 'eng' });
      expect(doc).toMatchObject({ name: '说明书.pdf', category: 'manual', size: pdf.length, createdBy: 'eng' });
      expect((await assets.getDocument(scope, 'cnc-01', doc.id)).data.toString()).toBe('%PDF-1.7 manual');
      await rejectsWith(assets.getDocument(tenantScope(b), 'cnc-01', doc.id), 'FILE_NOT_FOUND');
      expect(await assets.listDocuments(scope, 'cnc-01')).toHaveLength(1);
      await assets.removeDocument(scope, 'cnc-01', doc.id);
      expect(await assets.listDocuments(scope, 'cnc-01')).toEqual([]);
    });

    it('counts devices per enterprise and site by lifecycle state and presence, without names', async () => {
      const { scope, site } = await tree();
      await assets.devices.put(scope, 'cnc-01', { siteId: site.id, lifecycle: 'in_service' }, null);
      await assets.devices.put(scope, 'cnc-02', { siteId: site.id }, null);
      await registry.putDevice(tenantScope(b), { id: 'b-dev', gatewayId: 'gw-b', name: 'B', protocol: 'modbus-tcp', source: 'configured', config: {} });
      const summary = await assets.summary(allTenants, [{ tenantId: a, device: 'cnc-01', state: 'online', since: 0, reason: null, gatewayId: null }, { tenantId: b, device: 'b-dev', state: 'offline', since: 0, reason: 'x', gatewayId: null }]);
      expect(summary.totals).toEqual({ devices: 3, online: 1, offline: 1, unknown: 1, lifecycle: { in_service: 1, planned: 1, untracked: 1 } });
      expect(summary.enterprises.map((e) => [e.code, e.devices, e.sites.map((s) => [s.name, s.devices])])).toEqual([
        ['A-1', 2, [['一厂', 2]]],
        ['B-1', 1, [['', 1]]],
      ]);
      expect(JSON.stringify(summary)).not.toContain('cnc-01');
      const own = await assets.summary(tenantScope(b), []);
      expect(own.enterprises.map((e) => e.code)).toEqual(['B-1']);
    });
  });
}

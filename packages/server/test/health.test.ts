/**
 * The health service on the virtual factory with a short simulated clock, on SQLite and PostgreSQL: the
 * factory runs stepped (not real time), its CNC values go into the real telemetry store each simulated
 * second, the bearing-wear RUL model (trained in process from the sim's physics) is bound to the CNC
 * profile, and after a bearing-wear fault on cnc-01 its predicted remaining useful life falls while the
 * healthy cnc-02 keeps its own; the health index drops with the anomaly and an active alarm.
 */
import { type Sample, pointSchema } from '@yulian/contracts';
import { type Store, YulianError, createGatewayRegistry, silentLogger, storeBackends, tenantScope } from '@yulian/core';
import { type AssetService, type TelemetryStore, createAlarmStore, createAssetService, createTelemetryStore } from '@yulian/devices';
import { serializeRulModel } from '@yulian/analytics';
import { type VirtualFactory, cncPoints, factoryLayout, startVirtualFactory } from '@yulian/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simBearingCycleSeconds, simBearingInputs, trainSimBearingModel } from '../src/demo/bearing-rul.js';
import { type HealthService, startHealthService } from '../src/health/health-service.js';

const tenant = 'tenant-health';
const stored = ['vibration_rms', 'spindle_temp', 'spindle_load', 'coolant_temp'];
const devices = ['cnc-01', 'cnc-02'];
// Trained once for both backends: seeded, so it is the model the demo trains.
const modelFile = serializeRulModel(trainSimBearingModel({ seed: 1, now: () => new Date('2026-11-29T00:00:00Z') }));

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`device health on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let factory: VirtualFactory;
    let telemetry: TelemetryStore;
    let assets: AssetService;
    let health: HealthService;
    let profileId: string;

    /** Runs the factory for `minutes` simulated minutes, storing the CNCs' values once a second. */
    const run = async (minutes: number): Promise<void> => {
      for (let m = 0; m < minutes; m++) {
        const samples: Sample[] = [];
        for (let s = 0; s < 60; s++) {
          factory.step(1_000);
          const ts = factory.now();
          for (const device of devices) {
            const v = factory.values(device);
            for (const point of stored) samples.push({ device, point, ts, receivedTs: ts, value: Number(v[point]), quality: 'good' });
          }
        }
        await telemetry.write(tenant, samples);
      }
      await telemetry.flushRollups();
    };
    const assess = async () => new Map((await health.assess(tenantScope(tenant))).map((s) => [s.device, s]));

    beforeAll(async () => {
      const opened = await backend.open();
      store = opened.store;
      cleanup = opened.cleanup;
      const ts = Date.now();
      await store.db.insertInto('tenants').values({ id: tenant, code: 'H-1', name: 'H', district: '', industry: '', created_at: ts, updated_at: ts }).execute();
      factory = await startVirtualFactory({ seed: 5, host: '127.0.0.1', realTime: false });
      telemetry = createTelemetryStore({ store, now: () => factory.now() });
      await telemetry.start();
      assets = createAssetService({ store, registry: createGatewayRegistry(store), now: () => factory.now() });
      const scope = tenantScope(tenant);
      const cnc = factoryLayout.find((m) => m.id === 'cnc-01');
      const profile = await assets.profiles.create(scope, { name: 'CNC', protocol: 'modbus-tcp', points: (cnc?.points ?? cncPoints({ model: 'x', maxRpm: 10_000, defaultRpm: 8_000, ratedKw: 11, vibrationOrder: 'ABCD' })).map((p) => pointSchema.parse(p)), defaults: {}, description: '', manufacturer: 'Yulian sim', model: 'YL-VMC850' });
      profileId = profile.id;
      for (const device of devices) await assets.devices.put(scope, device, { name: device, profileId, lifecycle: 'in_service' }, 'tester');
      health = startHealthService({ store, assets, telemetry, alarms: createAlarmStore(store), logger: silentLogger(), intervalMs: 0, now: () => factory.now() });
    }, 120_000);

    afterAll(async () => {
      await health?.close();
      await telemetry?.close();
      await factory?.close();
      await cleanup?.();
    });

    it('refuses a corrupted model file with MODEL_INVALID and a mapping that misses a model input', async () => {
      const broken = modelFile.replace(/"learningRate":[0-9.]+/, '"learningRate":0.5');
      await expect(health.store.addModel({ tenantId: tenant, name: 'broken', file: broken, actor: 'tester' })).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === 'MODEL_INVALID' && /checksum/.test(e.message));
      await expect(health.store.addModel({ tenantId: tenant, name: 'cut', file: modelFile.slice(0, 500), actor: 'tester' })).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === 'MODEL_INVALID');
      const { checkRulMapping, parseRulModel } = await import('@yulian/analytics');
      expect(() => checkRulMapping(parseRulModel(modelFile), simBearingInputs.slice(1), stored)).toThrow(/reads inputs 1/);
      expect(() => checkRulMapping(parseRulModel(modelFile), [...simBearingInputs.slice(0, 2), { sensor: 3, point: 'oil_temp', agg: 'avg' }], stored)).toThrow(/no numeric point "oil_temp"/);
    });

    it('predicts a falling remaining useful life for a CNC with bearing wear, and a lower health index', { timeout: 240_000 }, async () => {
      const model = await health.store.addModel({ tenantId: tenant, name: 'bearing', file: modelFile, actor: 'tester' });
      await health.store.bind({ tenantId: tenant, profileId, modelId: model.id, inputs: simBearingInputs, cycleSeconds: simBearingCycleSeconds, actor: 'tester' });
      await run(40);
      const healthy = await assess();
      expect(healthy.get('cnc-01')?.rul).toBeGreaterThan(100);
      expect(healthy.get('cnc-02')?.rul).toBeGreaterThan(100);
      expect(healthy.get('cnc-01')?.rulUnitSeconds).toBe(60);

      await factory.injectFault('cnc-01', { kind: 'bearing-wear', severity: 1 });
      // Severity 1 reaches the failure factor (6) after 200 simulated minutes: true RUL 140 (above the
      // model's cap of 120) after the first hour, then 110, 80, 50 and 20 minutes.
      await run(60);
      const rul: number[] = [];
      for (let k = 0; k < 4; k++) {
        await run(30);
        const s = await assess();
        rul.push(s.get('cnc-01')?.rul ?? NaN);
        expect(s.get('cnc-02')?.rul).toBeGreaterThan(90);
      }
      // Falls over time: each assessment below the one before, and the last within the final hour.
      for (let k = 1; k < rul.length; k++) expect(rul[k]).toBeLessThan(rul[k - 1] as number);
      expect(rul[0]).toBeLessThan(120);
      expect(rul[rul.length - 1]).toBeLessThan(45);

      const last = await assess();
      const worn = last.get('cnc-01');
      const fine = last.get('cnc-02');
      expect(worn && fine && worn.health < fine.health).toBe(true);
      expect(worn?.components[0]).toMatchObject({ kind: 'anomaly', details: { point: 'vibration_rms' } });
      // An active critical alarm costs the device 25 more points.
      await createAlarmStore(store).raise({ tenantId: tenant, device: 'cnc-01', rule: 'vib', ruleName: '振动过高', severity: 'critical', at: factory.now(), value: 9, reason: 'vibration 9 > 7.1' });
      const alarmed = (await assess()).get('cnc-01');
      expect(alarmed?.components.find((c) => c.kind === 'alarms')?.penalty).toBeGreaterThanOrEqual(25);
      expect(alarmed?.health).toBeLessThan(worn?.health ?? 0);

      // Every assessment is a snapshot: the device has a trend, oldest first.
      const trend = await health.store.trend(tenantScope(tenant), 'cnc-01', 0);
      expect(trend.length).toBe(7);
      expect(trend.map((t) => t.ts)).toEqual([...trend.map((t) => t.ts)].sort((a, b) => a - b));
      const fleet = await health.store.latest(tenantScope(tenant));
      expect(fleet.map((s) => s.device).sort()).toEqual(devices);
    });
  });
}

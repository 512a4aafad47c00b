/**
 * The health and RUL API on the demo platform (SQLite, in-process HTTP through inject): the demo trains its
 * bearing-wear model and binds it to the CNC profile; the fleet lists devices riskiest first; an uploaded
 * model file that was corrupted is refused with MODEL_INVALID; a binding that misses a model input or
 * names an unknown point is refused with RUL_BINDING_INVALID; a security analyst reads but may not assess or upload.
 */
import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('device health and RUL API on the demo plant', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;

  beforeAll(async () => {
    platform = await startDemoPlatform('health-api');
    call = demoApi(platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const waitLong = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => waitFor(what, probe, 60_000, 500);

  it('trains the demo bearing model at start and binds it to the CNC profile', { timeout: 90_000 }, async () => {
    const binding = await waitLong('the demo binding', async () => (await call('GET', '/api/v1/rul/bindings', 'demo-engineer')).json.items[0] as Json);
    expect(binding.cycleSeconds).toBe(60);
    expect(binding.inputs.map((m: Json) => `${m.agg}(${m.point})`)).toEqual(['max(vibration_rms)', 'avg(vibration_rms)', 'avg(spindle_temp)']);
    const models = (await call('GET', '/api/v1/rul/models', 'demo-analyst')).json.items;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: binding.modelId, sensors: [1, 2, 3], cap: 120, training: { dataset: 'virtual factory bearing wear', seed: 1 } });
  });

  it('assesses the fleet on demand and lists it riskiest first, each device with its reasons and trend', async () => {
    expect((await call('POST', '/api/v1/health/assess', 'demo-analyst')).status).toBe(403);
    const assessed = await call('POST', '/api/v1/health/assess', 'demo-engineer');
    expect(assessed.status).toBe(200);
    expect(assessed.json.assessed).toBeGreaterThanOrEqual(8);
    const fleet = (await call('GET', '/api/v1/health/devices', 'demo-analyst')).json.items as Json[];
    expect(fleet.map((d) => d.device)).toContain('cnc-01');
    for (let i = 1; i < fleet.length; i++) expect(fleet[i].health).toBeGreaterThanOrEqual(fleet[i - 1].health);
    const cnc = fleet.find((d) => d.device === 'cnc-01');
    expect(cnc.components.map((c: Json) => c.kind).sort()).toEqual(['alarms', 'anomaly', 'run-hours']);
    expect(cnc.trend.length).toBeGreaterThanOrEqual(1);
    // Compressors report their run-hours counter (12,000 h or more): it costs them points.
    const compressor = fleet.find((d) => d.device === 'compressor-01');
    expect(compressor.components.find((c: Json) => c.kind === 'run-hours').penalty).toBeGreaterThan(10);
    // The CNC machines' profile lists them and nothing else (the compressors have a profile of their own).
    const byProfile = (await call('GET', `/api/v1/health/devices?profile=${cnc.profileId}`, 'demo-analyst')).json.items as Json[];
    expect(byProfile.map((d) => d.device).sort()).toEqual(['cnc-01', 'cnc-02', 'cnc-03', 'cnc-04', 'cnc-05', 'cnc-06']);
    const one = await call('GET', '/api/v1/devices/cnc-01/health', 'demo-operator');
    expect(one.json.latest.device).toBe('cnc-01');
    expect((await call('GET', '/api/v1/devices/no-such-device/health', 'demo-operator')).status).toBe(404);
  });

  it('refuses a corrupted model file with MODEL_INVALID and a binding that does not fit with RUL_BINDING_INVALID', async () => {
    const binding = (await call('GET', '/api/v1/rul/bindings', 'demo-engineer')).json.items[0];
    // A model file as `yulian analytics train-rul --dataset sim` writes it, trained here through the API.
    const trained = await call('POST', '/api/v1/rul/models', 'demo-engineer', { name: 'bearing, 8 machines', train: { dataset: 'virtual-factory-bearing', seed: 2, units: 8 } });
    expect(trained.status).toBe(201);
    expect(trained.json.training.trainUnits).toBe(8);
    const good = (await platform.store.db.selectFrom('rul_models').select('file').where('id', '=', trained.json.id).executeTakeFirstOrThrow()).file;
    const upload = await call('POST', '/api/v1/rul/models', 'demo-engineer', { name: 'uploaded', file: good });
    expect(upload.status).toBe(201);
    const corrupted = await call('POST', '/api/v1/rul/models', 'demo-engineer', { name: 'corrupted', file: good.replace('"window":20', '"window":21') });
    expect(corrupted.status).toBe(400);
    expect(corrupted.json.error.code).toBe('MODEL_INVALID');
    expect(corrupted.json.error.message).toMatch(/checksum does not match/);
    const truncated = await call('POST', '/api/v1/rul/models', 'demo-engineer', { name: 'truncated', file: good.slice(0, good.length / 2) });
    expect(truncated.json.error.code).toBe('MODEL_INVALID');
    expect((await call('POST', '/api/v1/rul/models', 'demo-analyst', { name: 'x', file: good })).status).toBe(403);

    const put = (inputs: Json) => call('PUT', `/api/v1/profiles/${binding.profileId}/rul-binding`, 'demo-engineer', { modelId: upload.json.id, inputs, cycleSeconds: 60 });
    const missing = await put(binding.inputs.slice(0, 2));
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'RUL_BINDING_INVALID', details: { field: 'inputs' } });
    const unknown = await put([...binding.inputs.slice(0, 2), { sensor: 3, point: 'oil_temp', agg: 'avg' }]);
    expect(unknown.json.error).toMatchObject({ code: 'RUL_BINDING_INVALID', details: { field: 'inputs[2].point' } });
    const rebound = await put(binding.inputs);
    expect(rebound.status).toBe(200);
    expect(rebound.json.modelId).toBe(upload.json.id);
    expect((await call('GET', '/api/v1/rul/bindings', 'demo-engineer')).json.items).toHaveLength(1);
  });
});

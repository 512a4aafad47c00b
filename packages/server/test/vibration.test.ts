import { bearingFrequencies, diagnose } from '@yulian/analytics';
import { type TestPlatform, demoPassword, startDemoPlatform } from '@yulian/server';
import { burstSampleRate, synthesiseBurst, vibrationProfileOf } from '@yulian/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const machines = [
  { kind: 'compressor', model: 'YL-SA75', rpm: 2970 },
  { kind: 'cnc', model: 'YL-VMC850', rpm: 8000 },
  { kind: 'cnc', model: 'YL-CK6150', rpm: 2000 },
] as const;

describe('diagnosis of the virtual factory’s bursts', () => {
  for (const m of machines) {
    const profile = vibrationProfileOf(m.kind, m.model);
    const run = (impactG: number, seed: number) =>
      diagnose({ samples: Float64Array.from(synthesiseBurst({ profile, shaftRpm: m.rpm, impactG, seed })), sampleRate: burstSampleRate, unit: 'g' }, { shaftHz: m.rpm / 60, bearing: profile.bearing });

    it(`finds no fault on a healthy ${m.model} at ${m.rpm} rpm over 10 seeds, and BPFO within one bin on a worn one`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const healthy = run(0, seed);
        expect(healthy.findings.map((f) => f.kind), `seed ${seed}`).toEqual(['normal']);
        expect(healthy.features.isoZone).toBe('A');
      }
      const bpfo = bearingFrequencies(profile.bearing, { rpm: m.rpm }).bpfoHz;
      for (let seed = 1; seed <= 3; seed++) {
        const worn = run(0.3, seed);
        expect(worn.findings.map((f) => f.kind), `seed ${seed}`).toEqual(['bearing-outer-race']);
        const key = worn.marks.find((k) => k.label === 'BPFO')!;
        expect(Math.abs(key.foundHz - bpfo)).toBeLessThanOrEqual(worn.resolutionHz);
      }
    });

    it(`finds imbalance (1×) and misalignment (2×) on the ${m.model}'s shaft faults`, () => {
      const shaft = (imbalance: number, misalignment: number, seed: number) =>
        diagnose({ samples: Float64Array.from(synthesiseBurst({ profile, shaftRpm: m.rpm, impactG: 0, shaft: { imbalance, misalignment }, seed })), sampleRate: burstSampleRate, unit: 'g' }, { shaftHz: m.rpm / 60, bearing: profile.bearing });
      for (let seed = 1; seed <= 3; seed++) {
        expect(shaft(1, 0, seed).findings.map((f) => f.kind), `imbalance, seed ${seed}`).toEqual(['imbalance']);
        expect(shaft(0, 1, seed).findings.map((f) => f.kind), `misalignment, seed ${seed}`).toEqual(['misalignment']);
      }
    });
  }
});

describe('vibration bursts and diagnosis on the demo plant', () => {
  let platform: TestPlatform;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    platform = await startDemoPlatform('vibration');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  const call = async (method: string, path: string, user: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> => {
    let token = tokens.get(user);
    if (!token) {
      const r = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token = (r.json() as { token: string }).token;
      tokens.set(user, token);
    }
    const r = await platform.app.inject({ method: method as 'GET', url: path, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body as string }) });
    return { status: r.statusCode, json: r.body ? r.json() : undefined };
  };
  const samples = (n: number): number[] => Array.from({ length: n }, (_, i) => 0.05 * Math.sin((2 * Math.PI * 49.5 * i) / 25_600) + 0.01 * Math.sin(i * 1.3));

  it('stores the virtual factory’s periodic bursts under the demo enterprise', async () => {
    const end = Date.now() + 40_000;
    let items: Json[] = [];
    while (items.length === 0 && Date.now() < end) {
      items = (await call('GET', '/api/v1/devices/compressor-02/vibration/bursts', 'demo-operator')).json.items;
      if (items.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(items[0]).toMatchObject({ device: 'compressor-02', point: 'motor-de', source: 'sim', sampleRate: 25_600, sampleCount: 16_384, unit: 'g' });
    expect((await call('GET', '/api/v1/devices/compressor-02/vibration/bursts', 'demo2-admin')).json.error.code).toBe('DEVICE_NOT_FOUND');
  }, 60_000);

  it('takes a JSON burst and a Float32 one from a gateway, and lists them', async () => {
    const json = await call('POST', '/api/v1/devices/compressor-01/vibration/bursts', 'demo-engineer', { samples: samples(16_384), sampleRate: 25_600, shaftRpm: 2970, point: 'motor-nde' });
    expect(json.status).toBe(201);
    expect(json.json).toMatchObject({ device: 'compressor-01', point: 'motor-nde', sampleCount: 16_384, unit: 'g', source: 'api' });
    const bytes = Buffer.alloc(16_384 * 4);
    samples(16_384).forEach((v, i) => bytes.writeFloatLE(v, i * 4));
    const raw = await call('POST', '/api/v1/devices/compressor-01/vibration/bursts?sampleRate=25600&shaftRpm=2970&unit=m/s2&point=motor-de', 'demo-engineer', bytes, { 'content-type': 'application/octet-stream' });
    expect(raw.status).toBe(201);
    expect(raw.json).toMatchObject({ point: 'motor-de', unit: 'm/s2', sampleCount: 16_384 });
    const list = await call('GET', '/api/v1/devices/compressor-01/vibration/bursts?limit=2', 'demo-operator');
    expect(list.json.items.map((b: Json) => b.id)).toEqual([raw.json.id, json.json.id]);
  });

  it('refuses bad bursts with VIBRATION_BURST_INVALID naming the field, and others’ devices', async () => {
    const post = (body: unknown, query = '', headers: Record<string, string> = {}) => call('POST', `/api/v1/devices/compressor-01/vibration/bursts${query}`, 'demo-engineer', body, headers);
    const cases: Array<[Promise<{ status: number; json: Json }>, string, RegExp]> = [
      [post({ samples: [1, 2, 3], sampleRate: 25_600, shaftRpm: 2970 }), 'samples', /1024/],
      [post({ samples: [...samples(2047), null], sampleRate: 25_600, shaftRpm: 2970 }), 'samples', /samples\.2047/],
      [post({ samples: samples(2048), sampleRate: -1, shaftRpm: 2970 }), 'sampleRate', /pass 100 to 204800 Hz/],
      [post({ samples: samples(2048), sampleRate: 25_600 }), 'shaftRpm', /shaftRpm/],
      [post({ samples: samples(2048), sampleRate: 25_600, shaftRpm: 2970, unit: 'mm/s' }), 'unit', /unit/],
      [post(Buffer.alloc(4097), '?sampleRate=25600&shaftRpm=2970', { 'content-type': 'application/octet-stream' }), 'body', /4097 bytes/],
      [post(Buffer.alloc(8192), '?shaftRpm=2970', { 'content-type': 'application/octet-stream' }), 'sampleRate', /needs \?sampleRate=/],
    ];
    const nan = Buffer.alloc(8192);
    nan.writeFloatLE(NaN, 40);
    cases.push([post(nan, '?sampleRate=25600&shaftRpm=2970', { 'content-type': 'application/octet-stream' }), 'samples', /Sample 10 is NaN/]);
    for (const [pending, field, message] of cases) {
      const r = await pending;
      expect(r.status, field).toBe(400);
      expect(r.json.error, field).toMatchObject({ code: 'VIBRATION_BURST_INVALID', details: { field } });
      expect(r.json.error.message).toMatch(message);
    }
    expect((await post('x,y', '', { 'content-type': 'text/csv' })).json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await call('POST', '/api/v1/devices/compressor-01/vibration/bursts', 'demo-operator', { samples: samples(2048), sampleRate: 25_600, shaftRpm: 2970 })).status).toBe(403);
    expect((await call('POST', '/api/v1/devices/compressor-01/vibration/bursts', 'demo2-admin', { samples: samples(2048), sampleRate: 25_600, shaftRpm: 2970 })).json.error.code).toBe('DEVICE_NOT_FOUND');
    expect((await call('GET', '/api/v1/devices/compressor-01/vibration/diagnosis', 'demo2-admin')).json.error.code).toBe('DEVICE_NOT_FOUND');
    expect((await call('GET', '/api/v1/devices/compressor-01/vibration/diagnosis?burst=nope', 'demo-operator')).json.error.code).toBe('VIBRATION_BURST_NOT_FOUND');
  });

  it('diagnoses a healthy machine’s burst: figures, zone A, the bearing’s frequencies and no bearing finding', async () => {
    const settings = await call('GET', '/api/v1/devices/compressor-02/vibration/settings', 'demo-operator');
    expect(settings.json.bearing).toMatchObject({ name: 'ZA-2115', rollingElements: 16 });
    const measured = await call('POST', '/api/v1/devices/compressor-02/vibration/measure', 'demo-operator');
    expect(measured.status).toBe(201);
    expect(measured.json).toMatchObject({ device: 'compressor-02', point: 'motor-de', sampleRate: 25_600, sampleCount: 16_384, source: 'sim' });
    const r = await call('GET', '/api/v1/devices/compressor-02/vibration/diagnosis', 'demo-operator');
    expect(r.status).toBe(200);
    const { report } = r.json;
    expect(r.json.burst.id).toBe(measured.json.id);
    expect(report.findings.map((f: Json) => f.kind)).toEqual(['normal']);
    expect(report.features).toMatchObject({ isoZone: 'A' });
    expect(report.features.kurtosis).toBeGreaterThan(2.5);
    expect(report.features.kurtosis).toBeLessThan(3.5);
    expect(report.features.crestFactor).toBeGreaterThan(2);
    expect(report.spectrum.frequencyHz.length).toBeLessThanOrEqual(2048);
    expect(report.bearing.frequencies.bpfoHz).toBeCloseTo(bearingFrequencies(settings.json.bearing, { rpm: measured.json.shaftRpm }).bpfoHz, 6);
    expect(report.isoZonesMmPerS).toEqual([1.4, 2.8, 4.5]);
  });

  it('finds the injected bearing wear at BPFO within one bin', async () => {
    const injected = await call('POST', '/api/v1/sim/faults', 'demo-engineer', { device: 'compressor-01', kind: 'bearing-wear', severity: 1 });
    expect(injected.status).toBe(201);
    const measured = await call('POST', '/api/v1/devices/compressor-01/vibration/measure', 'demo-operator');
    expect(measured.status).toBe(201);
    const r = await call('GET', `/api/v1/devices/compressor-01/vibration/diagnosis?burst=${measured.json.id}`, 'demo-operator');
    const { report } = r.json;
    const finding = report.findings.find((f: Json) => f.kind === 'bearing-outer-race');
    expect(finding, JSON.stringify(report.findings)).toBeDefined();
    expect(Math.abs(finding.evidence.foundHz - report.bearing.frequencies.bpfoHz)).toBeLessThanOrEqual(report.resolutionHz);
    expect(report.marks.find((m: Json) => m.label === 'BPFO').spectrum).toBe('envelope');
    expect(report.findings.some((f: Json) => f.kind === 'bearing-inner-race')).toBe(false);
    await call('DELETE', '/api/v1/sim/faults/compressor-01', 'demo-engineer');
  });

  it('documents the vibration routes in the OpenAPI document', async () => {
    const r = await platform.app.inject({ url: '/api/openapi.json' });
    const paths = Object.keys((r.json() as { paths: Record<string, unknown> }).paths);
    for (const p of ['bursts', 'diagnosis', 'settings', 'measure']) expect(paths).toContain(`/api/v1/devices/{id}/vibration/${p}`);
  });

  it('lets an engineer set a bearing, and refuses an impossible one', async () => {
    const bad = await call('PUT', '/api/v1/devices/cnc-01/vibration/settings', 'demo-engineer', { bearing: { rollingElements: 2, ballDiameterMm: 8, pitchDiameterMm: 40, contactAngleDeg: 0 } });
    expect(bad.json.error).toMatchObject({ code: 'VIBRATION_SETTINGS_INVALID', details: { field: 'bearing' } });
    const ok = await call('PUT', '/api/v1/devices/cnc-01/vibration/settings', 'demo-engineer', { bearing: { name: '6205-2RS', rollingElements: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 }, isoZonesMmPerS: [0.71, 1.8, 4.5] });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ device: 'cnc-01', updatedBy: 'demo-engineer', isoZonesMmPerS: [0.71, 1.8, 4.5] });
    expect((await call('PUT', '/api/v1/devices/cnc-01/vibration/settings', 'demo-operator', { bearing: null })).status).toBe(403);
  });
});

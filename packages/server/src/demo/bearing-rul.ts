/**
 * A remaining-useful-life model the virtual factory's rotating machines can be read with (issue 6, item 6).
 * The C-MAPSS turbofan model reads engine sensors a CNC spindle does not have; this one is trained the same
 * way (window features, seeded gradient-boosted trees) on run-to-failure trajectories generated from the
 * sim's own machine model and its bearing-wear physics (sim/faults.ts: vibration × (1 + 1.5 · severity ·
 * wear hours)), aggregated per minute as the platform stores them.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type CmapssUnit, type RulInputMapping, type RulModel, type TrainRulOptions, evaluateRul, parseRulModel, serializeRulModel, trainRulModel } from '@yulian/analytics';
import { type Logger, createRandom } from '@yulian/core';
import type { AssetService, HealthStore } from '@yulian/devices';
import { factoryLayout } from '@yulian/sim';
import { demoCncProfileName } from './assets.js';

/** The name the demo registers the model under. */
export const simBearingModelName = '轴承磨损 Bearing wear (virtual factory)';

/**
 * Failure: the bearing's vibration factor reaches 6 — a cutting VMC then vibrates about 9–10 mm/s, deep in
 * ISO 10816 zone D and past the machines' own 7.1 mm/s alarm limit.
 */
export const bearingFailureFactor = 6;

/** Seconds per model cycle: one minute, the platform's first rollup. */
export const simBearingCycleSeconds = 60;

/** Model inputs ← CNC points: 1 the minute's peak vibration, 2 its mean vibration, 3 the mean spindle temperature. */
export const simBearingInputs: RulInputMapping[] = [
  { sensor: 1, point: 'vibration_rms', agg: 'max' },
  { sensor: 2, point: 'vibration_rms', agg: 'avg' },
  { sensor: 3, point: 'spindle_temp', agg: 'avg' },
];

/** Options of {@link simBearingTrajectories}. */
export interface SimTrajectoryOptions {
  /** Run-to-failure machines to simulate (default 24). */
  units?: number;
  seed?: number;
}

const tickMs = 100;
const cnCs = factoryLayout.filter((m) => m.kind === 'cnc');

/**
 * Run-to-failure trajectories of the virtual factory's CNC machines: each runs healthy for 10–90 minutes,
 * then its bearing wears at a severity of 0.5–1 until the vibration factor reaches {@link bearingFailureFactor}.
 * Values are sampled each second (as the gateway polls) and aggregated per minute into the model inputs.
 * @example const units = simBearingTrajectories({ units: 24, seed: 1 })
 */
export function simBearingTrajectories(options: SimTrajectoryOptions = {}): CmapssUnit[] {
  const seed = options.seed ?? 1;
  const rnd = createRandom(seed);
  const units: CmapssUnit[] = [];
  for (let u = 0; u < (options.units ?? 24); u++) {
    const unit = simulateUnit(u, seed, rnd);
    if (unit) units.push(unit);
  }
  return units;
}

/** One run-to-failure machine of {@link simBearingTrajectories}. */
function simulateUnit(u: number, seed: number, rnd: () => number): CmapssUnit | undefined {
  {
    const spec = cnCs[u % cnCs.length];
    if (!spec) return undefined;
    const start = Date.UTC(2025, 2, 3, 0, 0) + Math.floor(rnd() * 24) * 3_600_000;
    const sim = spec.createSim(createRandom(seed * 7919 + u), start);
    const severity = 0.5 + 0.5 * rnd();
    const healthyMin = 10 + Math.floor(80 * rnd());
    const wearMin = Math.ceil(((bearingFailureFactor - 1) / (1.5 * severity)) * 60);
    const rows: CmapssUnit['rows'] = [];
    let now = start;
    for (let cycle = 1; cycle <= healthyMin + wearMin; cycle++) {
      let peak = -Infinity;
      let vib = 0;
      let temp = 0;
      for (let s = 0; s < simBearingCycleSeconds; s++) {
        for (let t = 0; t < 1000; t += tickMs) {
          now += tickMs;
          const wearHours = Math.max(0, (now - start) / 3_600_000 - healthyMin / 60);
          sim.tick(now, tickMs, { vibrationFactor: 1 + 1.5 * severity * wearHours, extraHeatC: 0 });
        }
        const v = sim.values();
        const vibration = Number(v.vibration_rms);
        peak = Math.max(peak, vibration);
        vib += vibration;
        temp += Number(v.spindle_temp);
      }
      const sensors = new Array<number>(21).fill(0);
      sensors[0] = peak;
      sensors[1] = vib / simBearingCycleSeconds;
      sensors[2] = temp / simBearingCycleSeconds;
      rows.push({ unit: u + 1, cycle, settings: [0, 0, 0], sensors });
    }
    return { unit: u + 1, rows };
  }
}

/** Training options of the sim model: 3 inputs, 20-minute windows from 3 minutes of history, RUL capped at 120 minutes. */
export const simBearingTrainOptions: TrainRulOptions = { sensors: [1, 2, 3], window: 20, minHistory: 3, cap: 120, members: 1, dataset: 'virtual factory bearing wear', boost: { rounds: 150 } };

/**
 * Trains the sim bearing model (seeded: the same seed gives the same trees).
 * @example const model = trainSimBearingModel({ seed: 1 })
 */
export function trainSimBearingModel(options: SimTrajectoryOptions & { now?: () => Date } = {}): RulModel {
  const units = simBearingTrajectories(options);
  return trainRulModel(units, { ...simBearingTrainOptions, seed: options.seed ?? 1, ...(options.now ? { now: options.now } : {}) });
}

/**
 * Test figures of the sim model the C-MAPSS way: held-out trajectories (another seed) cut at a random
 * cycle, RUL predicted at the cut, RMSE and PHM08 against the true RUL capped at the model's cap.
 */
export function evaluateSimBearingModel(model: RulModel, options: { units?: number; seed?: number } = {}): ReturnType<typeof evaluateRul> {
  const seed = options.seed ?? 1001;
  const rnd = createRandom(seed * 31);
  const full = simBearingTrajectories({ units: options.units ?? 24, seed });
  const truth: number[] = [];
  const cut = full.map((u) => {
    const keep = Math.max(model.spec.minHistory, Math.floor(u.rows.length * (0.3 + 0.7 * rnd())));
    truth.push(u.rows.length - keep);
    return { unit: u.unit, rows: u.rows.slice(0, keep) };
  });
  return evaluateRul(model, cut, truth);
}

/**
 * The demo model as shipped: {@link trainSimBearingModel} with seed 1, its `trainedAt` fixed to this date so
 * the file is reproducible. Training it takes 7–13 s of CPU, which every fresh demo (and every browser test)
 * would pay; `packages/server/test/demo-rul-model.test.ts` checks the file is what training gives today, and
 * `npm run demo-rul-model` (after `npm run build`) writes it again when the sim or the trainer changes.
 */
export const demoBearingModelTrainedAt = '2026-11-29T00:00:00.000Z';
/** Where the shipped demo model lives (the same path from src/demo and dist/demo). */
export const demoBearingModelPath = fileURLToPath(new URL('../../assets/demo-bearing-rul-model.json', import.meta.url));

/** The demo model's file text as training writes it (seed 1, fixed `trainedAt`). */
export function trainDemoBearingModelFile(): string {
  return serializeRulModel(trainSimBearingModel({ seed: 1, now: () => new Date(demoBearingModelTrainedAt) }));
}

/** The shipped model file, checked by the model-file reader; `undefined` with a warning when missing or refused. */
async function shippedDemoBearingModel(logger: Logger): Promise<string | undefined> {
  try {
    const text = await readFile(demoBearingModelPath, 'utf8');
    parseRulModel(text);
    return text;
  } catch (err) {
    logger.warn({ err, path: demoBearingModelPath }, 'shipped demo RUL model unusable: training it instead');
    return undefined;
  }
}

/**
 * The demo's RUL: adds the shipped bearing model (or, when its file is missing or refused, trains it — seed 1,
 * the trajectories generated one machine at a time, yielding between them, so the platform keeps serving)
 * unless the demo enterprise has it already, and binds it to the demo CNC profile with
 * {@link simBearingInputs} per minute.
 */
export async function seedDemoRul(options: { health: HealthStore; assets: AssetService; tenantId: string; logger: Logger }): Promise<void> {
  const profile = await options.assets.profiles.findByName(options.tenantId, demoCncProfileName);
  if (!profile) return;
  let model = await options.health.findModelByName(options.tenantId, simBearingModelName);
  if (!model) {
    const started = Date.now();
    let file = await shippedDemoBearingModel(options.logger);
    if (file === undefined) {
      const rnd = createRandom(1);
      const units: CmapssUnit[] = [];
      for (let u = 0; u < 24; u++) {
        const unit = simulateUnit(u, 1, rnd);
        if (unit) units.push(unit);
        await new Promise((resolve) => setImmediate(resolve));
      }
      file = serializeRulModel(trainRulModel(units, { ...simBearingTrainOptions, seed: 1, now: () => new Date(demoBearingModelTrainedAt) }));
    }
    model = await options.health.addModel({ tenantId: options.tenantId, name: simBearingModelName, description: '虚拟工厂数控机床轴承磨损的剩余寿命（分钟）/ remaining useful life of the virtual CNC machines’ bearings, minutes', file, actor: null });
    options.logger.info({ model: model.id, ms: Date.now() - started }, 'demo bearing-wear RUL model added');
  }
  const bound = (await options.health.listBindings({ kind: 'tenant', tenantId: options.tenantId })).find((b) => b.profileId === profile.id);
  if (!bound) await options.health.bind({ tenantId: options.tenantId, profileId: profile.id, modelId: model.id, inputs: simBearingInputs, cycleSeconds: simBearingCycleSeconds, actor: null });
}

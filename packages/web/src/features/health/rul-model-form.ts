import type { ProfileDto } from '@yulian/contracts';
import type { HealthApi, RulBinding, RulInput, RulModelInfo } from './health-api';

/** The points of a profile a model input can read: the numeric ones (the server refuses the others). */
export const numericPoints = (profile: Pick<ProfileDto, 'points'>): string[] => profile.points.filter((p) => p.dataType !== 'string').map((p) => p.key);

/**
 * The mapping a binding form starts from: each input the model reads ← the point (and aggregate) the
 * profile's current binding reads it from, when that point still exists, else the first numeric point's mean.
 * @example defaultInputs({ sensors: [1, 2] }, ['vibration_rms'], undefined) // [{ sensor: 1, point: 'vibration_rms', agg: 'avg' }, { sensor: 2, … }]
 */
export function defaultInputs(model: Pick<RulModelInfo, 'sensors'>, points: readonly string[], binding: Pick<RulBinding, 'inputs'> | undefined): RulInput[] {
  return model.sensors.map((sensor) => {
    const bound = binding?.inputs.find((m) => m.sensor === sensor);
    return bound && points.includes(bound.point) ? { ...bound } : { sensor, point: points[0] ?? '', agg: 'avg' };
  });
}

/** A model's default name from its file's name: `bearing-rul.json` → `bearing-rul`. */
export const modelNameFromFile = (fileName: string): string => fileName.replace(/\.[^.]*$/, '').trim() || fileName;

/**
 * Uploads a model file (`yulian analytics train-rul` output) under `name`. A corrupted, truncated or altered
 * file is refused by the server: the promise rejects with an ApiError whose code is MODEL_INVALID.
 * @example const model = await uploadModelFile(health, input.files[0], 'bearing wear')
 */
export async function uploadModelFile(health: Pick<HealthApi, 'addModel'>, file: Blob, name: string): Promise<RulModelInfo> {
  return health.addModel({ name: name.trim(), file: await file.text() });
}

/** The model a binding applies, among those listed (undefined when it is not listed, e.g. another enterprise's). */
export const boundModel = (binding: Pick<RulBinding, 'modelId'> | undefined, models: readonly RulModelInfo[]): RulModelInfo | undefined =>
  binding ? models.find((m) => m.id === binding.modelId) : undefined;

import { createHash } from 'node:crypto';
import { YulianError } from '@yulian/core';
import { CMAPSS_SENSORS } from './cmapss.js';
import { FEATURES_PER_SENSOR } from './features.js';
import type { RegressionTree } from './gbt.js';
import type { RulModel } from './model.js';

/** The `format` field of a model file. */
export const RUL_MODEL_FORMAT = 'yulian-rul-model';
/** The format version this code writes and reads. */
export const RUL_MODEL_VERSION = 1;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const invalid = (reason: string, cause?: unknown): never => {
  throw new YulianError('MODEL_INVALID', `The RUL model file is invalid: ${reason}.`, { details: { reason }, ...(cause === undefined ? {} : { cause }) });
};

/**
 * Serialises a model as JSON: format, version, a SHA-256 checksum of the body, and the body (feature spec,
 * trees, training record).
 * @example writeFileSync('model.json', serializeRulModel(model))
 */
export function serializeRulModel(model: RulModel): string {
  const body = JSON.stringify(model);
  return `{"format":${JSON.stringify(RUL_MODEL_FORMAT)},"version":${RUL_MODEL_VERSION},"checksum":{"algorithm":"sha256","value":"${sha256(body)}"},"body":${body}}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown, length?: number): v is number[] =>
  Array.isArray(v) && (length === undefined || v.length === length) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkTree(t: unknown, i: number, inputs: number): void {
  if (!isObject(t)) return invalid(`tree ${i} is not an object`);
  const tree = t as unknown as RegressionTree;
  const n = Array.isArray(tree.feature) ? tree.feature.length : 0;
  if (n === 0 || !(['feature', 'threshold', 'left', 'right', 'value'] as const).every((k) => isNumbers(tree[k], n))) invalid(`tree ${i} has missing or uneven node arrays`);
  for (let k = 0; k < n; k++) {
    const f = tree.feature[k] as number;
    if (f === -1) continue;
    const l = tree.left[k] as number;
    const r = tree.right[k] as number;
    // Children after their parent: no cycles, and every walk ends at a leaf.
    if (!Number.isInteger(f) || f < 0 || f >= inputs || !Number.isInteger(l) || !Number.isInteger(r) || l <= k || r <= k || l >= n || r >= n)
      invalid(`tree ${i} node ${k} points outside the tree or at an unknown feature`);
  }
}

/** Checks the parsed body's shape so a checksummed but malformed body is still refused. */
function checkBody(body: unknown): RulModel {
  if (!isObject(body) || !isObject(body.spec) || !isObject(body.regressor) || !isObject(body.training)) return invalid('the body lacks spec, regressor or training');
  const spec = body.spec;
  const norm = spec.normalisation;
  if (!isNumbers(spec.sensors) || spec.sensors.length === 0 || !spec.sensors.every((s) => Number.isInteger(s) && s >= 1 && s <= CMAPSS_SENSORS)) invalid('spec.sensors must list sensor numbers 1–21');
  const nS = (spec.sensors as number[]).length;
  if (!isObject(norm) || norm.kind !== 'z-score' || !isNumbers(norm.mean, nS) || !isNumbers(norm.std, nS)) invalid('spec.normalisation must be z-score with a mean and std per sensor');
  if (!Number.isInteger(spec.window) || (spec.window as number) < 1) invalid('spec.window must be a positive integer');
  if (!Number.isInteger(spec.minHistory) || (spec.minHistory as number) < 1) invalid('spec.minHistory must be a positive integer');
  if (!isNumbers([spec.cap, spec.ewmAlpha]) || (spec.cap as number) <= 0) invalid('spec.cap and spec.ewmAlpha must be numbers');
  const reg = body.regressor;
  if (reg.kind !== 'gbt' || !isNumbers([reg.base, reg.learningRate]) || !Array.isArray(reg.trees)) invalid('the regressor must be gradient-boosted trees');
  (reg.trees as unknown[]).forEach((t, i) => checkTree(t, i, nS * FEATURES_PER_SENSOR.length));
  return body as unknown as RulModel;
}

/**
 * Reads a model file written by {@link serializeRulModel}. A file that is not JSON (e.g. truncated), of
 * another format or version, whose checksum does not match (corrupted or altered) or whose body is malformed
 * throws a YulianError `MODEL_INVALID` saying which.
 * @example const model = parseRulModel(readFileSync('model.json', 'utf8'))
 */
export function parseRulModel(text: string): RulModel {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (e) {
    return invalid(`it is not complete JSON (truncated or corrupted: ${(e as Error).message})`, e);
  }
  if (!isObject(file) || file.format !== RUL_MODEL_FORMAT) return invalid(`it is not a ${RUL_MODEL_FORMAT} file`);
  if (file.version !== RUL_MODEL_VERSION) return invalid(`format version ${JSON.stringify(file.version)} is not supported (this build reads version ${RUL_MODEL_VERSION})`);
  const checksum = file.checksum;
  if (!isObject(checksum) || checksum.algorithm !== 'sha256' || typeof checksum.value !== 'string') return invalid('it has no sha256 checksum');
  if (!('body' in file)) return invalid('it has no body');
  if (sha256(JSON.stringify(file.body)) !== checksum.value) return invalid('the checksum does not match the body (the file was corrupted or altered)');
  return checkBody(file.body);
}

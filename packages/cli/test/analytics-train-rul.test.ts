import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRulModel } from '@yulian/analytics';
import { isYulianError } from '@yulian/core';

// The CLI as users run it: the built binary in a child process (`npm test` builds first).
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const cmapss = fileURLToPath(new URL('../../../../shared/data/cmapss', import.meta.url));
const yulian = (args: string[]) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });

/** The refusal `parseRulModel` gives a model file, or undefined when it loads. */
const refusal = (text: string): unknown => {
  try {
    parseRulModel(text);
    return undefined;
  } catch (e) {
    return e;
  }
};

describe('yulian analytics train-rul', () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
    dir = await mkdtemp(join(tmpdir(), 'yulian-train-rul-'));
    // FD001 cut down so that training takes seconds: the first 6 training engines, the first 5 test engines and their RUL.
    const data = join(dir, 'data');
    const keep = (file: string, units: number) => readFileSync(join(cmapss, file), 'utf8').split('\n').filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[0]) <= units).join('\n');
    await mkdir(data);
    await writeFile(join(data, 'train_FD001.txt'), keep('train_FD001.txt', 6));
    await writeFile(join(data, 'test_FD001.txt'), keep('test_FD001.txt', 5));
    await writeFile(join(data, 'RUL_FD001.txt'), readFileSync(join(cmapss, 'RUL_FD001.txt'), 'utf8').split('\n').slice(0, 5).join('\n'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('trains on C-MAPSS data, prints the test figures and writes a model file that loads; a corrupted copy is refused', { timeout: 180_000 }, async () => {
    const out = join(dir, 'model.json');
    const r = await yulian(['analytics', 'train-rul', '--data', join(dir, 'data'), '--out', out, '--seed', '2']);
    expect(r.out).toMatch(/trained on the 6 training engines of C-MAPSS FD001 in [\d.]+ s, seed 2/);
    expect(r.out).toMatch(/test set \(5 engines, last cycle\): RMSE [\d.]+, PHM08 score [\d.]+/);
    expect(r.out).toContain(`model written to ${out}`);
    expect(r.code).toBe(0);

    const text = readFileSync(out, 'utf8');
    const model = parseRulModel(text);
    expect(model.training).toMatchObject({ dataset: 'C-MAPSS FD001', seed: 2, trainUnits: 6 });
    expect(model.regressor.trees.length).toBeGreaterThan(0);
    expect(model.spec.window).toBe(40);

    // One digit of a threshold changed: the checksum no longer matches.
    const corrupted = text.replace(/"threshold":\[(-?)(\d)/, (_m, sign: string, d: string) => `"threshold":[${sign}${(Number(d) + 1) % 10}`);
    expect(corrupted).not.toBe(text);
    const altered = refusal(corrupted);
    expect(isYulianError(altered, 'MODEL_INVALID')).toBe(true);
    expect((altered as Error).message).toMatch(/checksum does not match/);
    // Cut short, as a copy interrupted half-way would be.
    const truncated = refusal(text.slice(0, Math.floor(text.length / 2)));
    expect(isYulianError(truncated, 'MODEL_INVALID')).toBe(true);
    expect((truncated as Error).message).toMatch(/not complete JSON/);
  });

  it('trains the virtual factory\'s bearing-wear model with --dataset sim and writes a model file that loads', { timeout: 180_000 }, async () => {
    const out = join(dir, 'sim-model.json');
    const r = await yulian(['analytics', 'train-rul', '--dataset', 'sim', '--out', out]);
    expect(r.out).toMatch(/generated \d+ run-to-failure CNC trajectories/);
    expect(r.out).toMatch(/RMSE [\d.]+ min, PHM08 score [\d.]+/);
    expect(r.code).toBe(0);
    expect(parseRulModel(readFileSync(out, 'utf8')).training.seed).toBe(1);
  });

  it('exits 1 and says what to pass for an unknown dataset, a bad seed or a directory without the files', async () => {
    const dataset = await yulian(['analytics', 'train-rul', '--dataset', 'fd009', '--out', join(dir, 'x.json')]);
    expect(dataset).toMatchObject({ code: 1 });
    expect(dataset.out).toContain('--dataset must be cmapss or sim, not "fd009"');
    const seed = await yulian(['analytics', 'train-rul', '--seed', 'one', '--out', join(dir, 'x.json')]);
    expect(seed).toMatchObject({ code: 1 });
    expect(seed.out).toContain('--seed must be an integer');
    const missing = await yulian(['analytics', 'train-rul', '--data', join(dir, 'nowhere'), '--out', join(dir, 'x.json')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/train_FD001\.txt/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});

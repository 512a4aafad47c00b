import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/** `../shared/data/cmapss` next to the repository (this file sits at packages/cli/{src,dist}/commands/). */
const defaultDataDir = (): string | undefined => {
  const dir = fileURLToPath(new URL('../../../../../shared/data/cmapss', import.meta.url));
  return existsSync(dir) ? dir : undefined;
};

/** Flags of `yulian analytics train-rul`. */
interface TrainRulFlags {
  dataset: string;
  data?: string;
  out: string;
  seed: string;
}

/** Trains on FD001, evaluates on its test set, prints the figures and writes the model file. */
async function trainRul(flags: TrainRulFlags): Promise<void> {
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (flags.dataset === 'sim') return trainSimRul(flags, seed);
  if (flags.dataset !== 'cmapss') throw new Error(`--dataset must be cmapss or sim, not "${flags.dataset}"`);
  const dir = flags.data ?? defaultDataDir();
  if (!dir) throw new Error('give --data <dir> holding train_FD001.txt, test_FD001.txt and RUL_FD001.txt (../shared/data/cmapss was not found)');
  // Loaded here so other commands do not pay for the analytics package.
  const { readCmapssDataset, trainRulModel, evaluateRul, serializeRulModel } = await import('@yulian/analytics');
  const data = readCmapssDataset(dir, 'FD001');
  const started = performance.now();
  const model = trainRulModel(data.train, { seed, dataset: data.name });
  const seconds = (performance.now() - started) / 1000;
  const result = evaluateRul(model, data.test, data.trueRul);
  writeFileSync(flags.out, serializeRulModel(model));
  process.stdout.write(
    [
      `trained on the ${model.training.trainUnits} training engines of ${data.name} in ${seconds.toFixed(1)} s, seed ${seed}: ${model.training.members} boosted-tree members, each stopped early on ${model.training.validationUnits} engines it held out`,
      `${model.regressor.trees.length} trees, window ${model.spec.window}, RUL cap ${model.spec.cap}; held-out validation RMSE ${model.training.validationRmse.toFixed(2)} (all windows; the test set is not used for training or stopping)`,
      `test set (${result.truth.length} engines, last cycle): RMSE ${result.rmse.toFixed(2)}, PHM08 score ${result.phm08.toFixed(1)}`,
      `model written to ${flags.out}`,
    ].join('\n') + '\n',
  );
}

/**
 * Trains the virtual factory's bearing-wear model on run-to-failure trajectories generated from the sim's
 * physics, evaluates it on held-out trajectories (another seed, each cut at a random minute) and writes it.
 */
async function trainSimRul(flags: TrainRulFlags, seed: number): Promise<void> {
  const { serializeRulModel } = await import('@yulian/analytics');
  const { trainSimBearingModel, evaluateSimBearingModel, simBearingInputs, simBearingCycleSeconds, bearingFailureFactor } = await import('@yulian/server');
  const started = performance.now();
  const model = trainSimBearingModel({ seed });
  const seconds = (performance.now() - started) / 1000;
  const result = evaluateSimBearingModel(model, { seed: seed + 1000 });
  writeFileSync(flags.out, serializeRulModel(model));
  process.stdout.write(
    [
      `generated ${model.training.trainUnits} run-to-failure CNC trajectories from the virtual factory's bearing-wear physics (failure: vibration × ${bearingFailureFactor}) and trained in ${seconds.toFixed(1)} s, seed ${seed}`,
      `${model.regressor.trees.length} trees, window ${model.spec.window} cycles of ${simBearingCycleSeconds} s, RUL cap ${model.spec.cap} min; held-out validation RMSE ${model.training.validationRmse.toFixed(2)} min`,
      `test (${result.truth.length} held-out trajectories, seed ${seed + 1000}, cut at a random minute): RMSE ${result.rmse.toFixed(2)} min, PHM08 score ${result.phm08.toFixed(1)}`,
      `inputs: ${simBearingInputs.map((m) => `${m.sensor} ← ${m.agg}(${m.point})`).join(', ')}`,
      `model written to ${flags.out}`,
    ].join('\n') + '\n',
  );
}

/**
 * `yulian analytics train-rul`: remaining useful life on C-MAPSS FD001, trained in process.
 * @example yulian analytics train-rul --data ../shared/data/cmapss --out rul-model.json --seed 1
 */
export function analyticsCommand(program: Command): void {
  const analytics = program.command('analytics').description('equipment analytics: remaining useful life models');
  analytics
    .command('train-rul')
    .description('train a remaining-useful-life model on C-MAPSS FD001 (or, with --dataset sim, on the virtual factory\'s bearing wear), print test RMSE and PHM08 score, write the model file')
    .option('--dataset <name>', 'cmapss (C-MAPSS FD001) or sim (run-to-failure trajectories of the virtual factory\'s CNC bearings)', 'cmapss')
    .option('--data <dir>', 'directory with train_FD001.txt, test_FD001.txt, RUL_FD001.txt (default ../shared/data/cmapss next to the repository)')
    .option('--out <file>', 'where to write the model', 'rul-model.json')
    .option('--seed <n>', 'seed of the hold-out split and the trees', '1')
    .action(async (flags: TrainRulFlags) => {
      try {
        await trainRul(flags);
      } catch (e) {
        process.stderr.write(`yulian analytics train-rul: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}

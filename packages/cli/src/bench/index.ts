import { benchGateway } from './gateway.js';
import { benchStore } from './store.js';
import type { BenchResult } from './types.js';

export { formatBench, type BenchResult, type BenchSide } from './types.js';

/** Every benchmark by name. */
export const benchmarks: Record<string, (options: { rows?: number }) => Promise<BenchResult>> = {
  store: benchStore,
  gateway: benchGateway,
};

export { createBaseline, baselineEntryId, type Baseline, type BaselineOptions } from './baseline.js';
export { createBaselineStore, flushBaseline, type BaselineStore } from './baseline-store.js';

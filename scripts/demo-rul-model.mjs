// `npm run demo-rul-model` (after `npm run build`): trains the demo's bearing-wear RUL model (seed 1) and
// writes it to packages/server/assets/, where every fresh demo reads it instead of training it at start.
// packages/server/test/demo-rul-model.test.ts fails when the file no longer matches what training gives.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { demoBearingModelPath, trainDemoBearingModelFile } from '../packages/server/dist/index.js';

const started = Date.now();
const file = trainDemoBearingModelFile();
mkdirSync(dirname(demoBearingModelPath), { recursive: true });
writeFileSync(demoBearingModelPath, file);
console.log(`wrote ${demoBearingModelPath} (${file.length} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);

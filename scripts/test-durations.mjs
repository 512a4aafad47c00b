// `node scripts/test-durations.mjs <vitest-json-report>`: writes test-durations.json (seconds per test file,
// from a run's `--reporter=json` report; .ci/run prints where it keeps its own), which the suite's sequencer reads to start the
// longest files first on a fresh checkout, where Vitest has no results cache to order them by.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const durations = Object.fromEntries(
  report.testResults
    .map((t) => [relative(root, t.name), Math.round((t.endTime - t.startTime) / 100) / 10])
    .filter(([, s]) => s >= 1)
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync(new URL('../test-durations.json', import.meta.url), `${JSON.stringify(durations, null, 2)}\n`);
console.log(`test-durations.json: ${Object.keys(durations).length} files of 1 s or more`);

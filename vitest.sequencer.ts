import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds a test file took in a recorded run (scripts/test-durations.mjs); absent files took under 1 s. */
const recorded: Record<string, number> = JSON.parse(readFileSync(new URL('./test-durations.json', import.meta.url), 'utf8'));

/**
 * Longest recorded files first. On a fresh checkout (CI) Vitest has no results cache and orders files by
 * size, so the long browser and platform tests — mostly waiting on simulated plants and sockets — started
 * late and ran alone at the end; started first, they overlap the many short files. With a cache (a second
 * local run) Vitest's own order, by the durations it saw, is kept.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cached = files.some((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`));
    if (cached) return super.sort(files);
    const seconds = (f: TestSpecification): number => recorded[relative(this.ctx.config.root, f.moduleId)] ?? 0;
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}

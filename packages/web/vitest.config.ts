import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

/**
 * The console's unit tests (pure functions: CSV and register-map reading, OPC UA keys, hosts), with
 * the build's aliases. The repository's root configuration leaves `packages/web` out, so run these with
 * `npm test -w @yulian/web` (or `npx vitest run --config packages/web/vitest.config.ts`).
 */
export default mergeConfig(
  viteConfig,
  defineConfig({
    // Run from the repository root too, where `--config` does not move the root here.
    root: fileURLToPath(new URL('.', import.meta.url)),
    test: { include: ['src/**/*.test.ts'], environment: 'node' },
  }),
);

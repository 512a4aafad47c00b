import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Tests run on the TypeScript sources: `@yulian/*` resolves to `packages/<name>/src/index.ts`,
 * so `npm test` needs no build, except the browser tests, which serve the built console.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@yulian/contracts': src('contracts'),
      '@yulian/core': src('core'),
      '@yulian/protocols': src('protocols'),
      '@yulian/devices': src('devices'),
      '@yulian/identifier': src('identifier'),
      '@yulian/analytics': src('analytics'),
      '@yulian/gateway': src('gateway'),
      '@yulian/security': src('security'),
      '@yulian/sim': src('sim'),
      '@yulian/server': src('server'),
      '@yulian/cli': src('cli'),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most platform tests wait on sockets, simulated time and browsers rather than the CPU: three forks on
    // CI's two cores finish the suite in about half the time of the default (one per core less one).
    maxWorkers: 3,
    minWorkers: 1,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'platform',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'packages/web/**'],
        },
      },
      // The console's unit tests, with the console build's own aliases.
      'packages/web/vitest.config.ts',
    ],
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `yulian serve` listens during development; `/api` and `/healthz` are proxied there. */
const apiTarget = 'http://localhost:8080';
const proxy = { '/api': apiTarget, '/healthz': apiTarget };

/**
 * The console build. No React plugin: esbuild compiles TSX with the automatic runtime.
 * `@yulian/contracts` resolves to its TypeScript sources so the build needs no contracts dist.
 */
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: { '@yulian/contracts': fileURLToPath(new URL('../contracts/src/index.ts', import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});

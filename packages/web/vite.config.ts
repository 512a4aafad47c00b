import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `yulian serve` listens during development; `/api` and `/healthz` are proxied there. */
const apiTarget = 'http://localhost:8080';
// /r/ and /qr/: the public identifier pages and QR codes the device page links to.
const proxy = { '/api': apiTarget, '/healthz': apiTarget, '/r/': apiTarget, '/qr/': apiTarget };

/**
 * The console build. No React plugin: esbuild compiles TSX with the automatic runtime.
 * `@yulian/contracts` (types only) and `@yulian/contracts/districts` (zod-free values) resolve to their
 * TypeScript sources, so the build needs no contracts dist.
 */
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic' },
  resolve: {
    // An alias also matches `<find>/…`, so the subpath must come before the package's own entry.
    alias: [
      { find: '@yulian/contracts/districts', replacement: fileURLToPath(new URL('../contracts/src/districts.ts', import.meta.url)) },
      { find: '@yulian/contracts', replacement: fileURLToPath(new URL('../contracts/src/index.ts', import.meta.url)) },
    ],
  },
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});

// Decides whether the build output is older than the sources, without building anything.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

/** The parts whose build output is missing or older than their sources: 'server' (tsc) and/or 'web' (vite). */
export function staleParts(root) {
  const parts = [];
  const cli = join(root, 'packages/cli/dist/main.js');
  const serverSources = ['contracts', 'core', 'protocols', 'gateway', 'sim', 'server', 'cli'].map((p) => join(root, 'packages', p, 'src'));
  if (!existsSync(cli) || serverSources.some((dir) => newest(dir) > statSync(cli).mtimeMs)) parts.push('server');
  const page = join(root, 'packages/web/dist/index.html');
  const webSources = [join(root, 'packages/web/src'), join(root, 'packages/contracts/src')];
  if (!existsSync(page) || webSources.some((dir) => newest(dir) > statSync(page).mtimeMs)) parts.push('web');
  return parts;
}

// `npm install` runs this (the root `prepare` script): build whatever is missing or out of date, so that
// `npm start` right after install starts at once.
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleParts } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stale = staleParts(root);
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
if (stale.includes('server')) {
  console.log('yulian: building the server packages (tsc -b) …');
  run('npx tsc -b');
}
if (stale.includes('web')) {
  console.log('yulian: building the web console (vite) …');
  run('npm run build --silent -w @yulian/web');
}

// `npm run bench -- <name>`: build what is out of date, then `yulian bench <name>`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

await import('./ensure-built.mjs');
const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, [`${root}packages/cli/dist/main.js`, 'bench', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);

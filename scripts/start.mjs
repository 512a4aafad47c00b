// `npm start`: build what is out of date, then run `yulian serve --demo` in this process's place.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

await import('./ensure-built.mjs');
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const child = spawn(process.execPath, [`${root}packages/cli/dist/main.js`, 'serve', ...(args.length ? args : ['--demo'])], { stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal's process group; forward service managers' signals too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

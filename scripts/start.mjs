// `npm start`: build what is out of date, then run `yulian serve --demo` in this process's place.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

await import('./ensure-built.mjs');
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
// The demo factory is on unless asked otherwise (`npm start -- --no-demo`, or YULIAN_DEMO=0).
const demo = args.includes('--no-demo') || args.includes('--demo') || process.env.YULIAN_DEMO ? [] : ['--demo'];
const child = spawn(process.execPath, [`${root}packages/cli/dist/main.js`, 'serve', ...demo, ...args], { stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal's process group; forward service managers' signals too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `npm start`: build what is out of date, then run `yulian serve --demo` in this very process, so that
// Ctrl+C and SIGTERM reach the server directly (a child process would get Ctrl+C twice).
import { fileURLToPath } from 'node:url';

await import('./ensure-built.mjs');
const main = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
const args = process.argv.slice(2);
// The demo data is on unless asked otherwise (`npm start -- --no-demo`, or YULIAN_DEMO=0).
const demo = args.includes('--no-demo') || args.includes('--demo') || process.env.YULIAN_DEMO ? [] : ['--demo'];
process.argv = [process.argv[0], main, 'serve', ...demo, ...args];
await import(main);

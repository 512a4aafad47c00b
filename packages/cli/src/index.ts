export { createProgram } from './program.js';
export { formatBanner } from './banner.js';

export * from './rule-engine.js';

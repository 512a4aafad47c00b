export { createHealthStore, type HealthSnapshot, type HealthStore, type RulBinding, type RulModelInfo } from './health-store.js';

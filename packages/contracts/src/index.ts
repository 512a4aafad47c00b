export { roles, roleSchema, platformRoles, isTenantRole, type Role } from './roles.js';
export * from './api.js';
export { chongqingDistricts, isChongqingDistrict, type District } from './districts.js';
export * from './points.js';
export * from './gateways.js';
export * from './commands.js';
export * from './telemetry.js';
export * from './dashboards.js';
export * from './assets.js';

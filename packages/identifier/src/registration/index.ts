export * from './templates.js';
export * from './bulk-file.js';
export * from './bulk-rows.js';
export * from './bulk-job-store.js';
export * from './bulk-job.js';
export * from './bulk-registration.js';

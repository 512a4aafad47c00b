export { createProfileRepository, type ProfileRepository } from './profile-repository.js';
export { importDevices, importMaxRows, type ConfigParser, type ImportDeps } from './import.js';
export { deviceConfigFromProfile, type DeviceFields } from './device-config.js';
export { parseCsv, type CsvRecord } from './csv.js';

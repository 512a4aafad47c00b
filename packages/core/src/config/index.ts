export { configSchema, type Config, type ConfigInput } from './schema.js';
export { configSources, type ConfigSource } from './sources.js';
export { loadConfig, maskConfig, maskUrl, ConfigError, type ConfigIssue, type LoadConfigOptions } from './load.js';

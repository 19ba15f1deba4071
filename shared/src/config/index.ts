export { baseConfigSchema } from './base-config.js';
export { loadConfig, type ConfigOf, type ConfigSchema } from './load-config.js';
export * from './setting.js';

import { baseConfigSchema, loadConfig } from '../../shared/src/index.js';

/** The stack the integration tests run against: the same variables and defaults as the services. */
export const testConfig = loadConfig(baseConfigSchema);

export { AppError, isRetriable, type AppErrorOptions } from './app-error.js';
export { ConfigError } from './config-error.js';
export { InvalidInputError } from './invalid-input-error.js';
export { UnavailableError } from './unavailable-error.js';

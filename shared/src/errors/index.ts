export { AppError, isRetriable, type AppErrorOptions } from './app-error.js';
export { ConfigError } from './config-error.js';

export { exitOnBootError } from './exit-on-boot-error.js';
export { runService, type RunServiceOptions, type Service } from './run-service.js';

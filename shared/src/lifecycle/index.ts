export { exitOnBootError } from './exit-on-boot-error.js';
export { withDeadline } from './with-deadline.js';
export { runService, type RunServiceOptions, type Service } from './run-service.js';
export { serviceGroup } from './service-group.js';

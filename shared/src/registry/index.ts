export { createRegistry } from './create-registry.js';
export { registerEventSchemas, type EventEncoder } from './register-schemas.js';

export { createRegistry } from './create-registry.js';

export { createRegistry } from './create-registry.js';
export { registerEventSchemas, type EventEncoder } from './register-schemas.js';
export { decodeWireRecord, isUndecodable, type WireRecord } from './decode-wire-record.js';

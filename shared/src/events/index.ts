export * from './archive-records.js';
export { KNOWN_EVENTS, RAW_EVENT_RECORD, SCHEMA_NAMESPACE, knownEvent, resourceOf, type Resource } from './dyte-events.js';

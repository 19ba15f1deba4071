// The parser moved to shared/src/time, as the provider API client reads the same two formats.
export { parseTimestampMicros } from '../../../../shared/src/time/index.js';

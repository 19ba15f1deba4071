export { parseTimestampMicros } from './parse-timestamp.js';

export { createLogger, type LogLevel, type LogSink, type Logger } from './logger.js';
export { logFields, RESERVED_FIELDS, type LogValue } from './log-fields.js';

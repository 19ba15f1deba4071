export { createLogger, type LogLevel, type LogSink, type Logger } from './logger.js';

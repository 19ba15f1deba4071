import pino from 'pino';
import { logFields, logMessage, type LogValue } from './log-fields.js';

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A JSON-lines logger; `child` adds fields to every line it writes. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Where log lines go; stdout by default, an array in tests. */
export type LogSink = (line: string) => void;

/**
 * Creates a logger (pino underneath) that writes one JSON object per line, dropping lines below `level`: `time`
 * (ISO 8601), `level`, `service`, the bound and given fields, then `msg`. Fields go through `logFields` first:
 * secrets redacted at any depth, errors with their causes, cycles and bigints safe, reserved names kept apart.
 */
export function createLogger(options: { level: LogLevel; name: string; sink?: LogSink }): Logger {
  const { sink } = options;
  // Synchronous writes: a line logged just before process.exit is not lost.
  const destination = sink ? { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: true });
  const root = pino(
    {
      level: options.level,
      base: { service: options.name },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  // Bound fields are merged here rather than by pino's child loggers, so that a field given again on a call
  // replaces the bound one instead of writing the key twice.
  const wrap = (bound: Record<string, LogValue>): Logger => {
    const line = (fields: Record<string, unknown> | undefined) => (fields ? { ...bound, ...logFields(fields) } : bound);
    return {
      // Fields are cleaned only for a line that is written (a debug line in the hot path costs nothing at info).
      debug: (message, fields) => root.isLevelEnabled('debug') && root.debug(line(fields), logMessage(message)),
      info: (message, fields) => root.isLevelEnabled('info') && root.info(line(fields), logMessage(message)),
      warn: (message, fields) => root.isLevelEnabled('warn') && root.warn(line(fields), logMessage(message)),
      error: (message, fields) => root.error(line(fields), logMessage(message)),
      child: (fields) => wrap(line(fields)),
    };
  };
  return wrap({});
}

import { isSecretKey } from '../secrets/secret-keys.js';
import { redactUrlUserinfo } from '../secrets/redact-url.js';

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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

/** Creates a logger that writes one JSON object per line, dropping lines below `level`. */
export function createLogger(options: { level: LogLevel; name: string; sink?: LogSink }): Logger {
  const sink = options.sink ?? ((line: string) => process.stdout.write(line + '\n'));
  const threshold = SEVERITY[options.level];
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (SEVERITY[level] < threshold) return;
      const line = { time: new Date().toISOString(), level, service: options.name, msg: message, ...bindings, ...fields };
      sink(JSON.stringify(line, redact));
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (fields) => make({ ...bindings, ...fields }),
    };
  };
  return make({});
}

// Secret fields (the one list in shared/src/secrets), at any depth, are never written; nor is the userinfo of a
// URL in any string (a library's error message may quote a URL with its password).
function redact(key: string, value: unknown): unknown {
  if (key !== '' && isSecretKey(key)) return '[redacted]';
  if (typeof value === 'string') return redactUrlUserinfo(value);
  if (value instanceof Error) {
    const { code, retriable } = value as Error & { code?: unknown; retriable?: unknown };
    return { name: value.name, message: value.message, code, retriable, cause: value.cause, stack: value.stack };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

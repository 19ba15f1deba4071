import { isSecretKey } from '../secrets/secret-keys.js';
import { redactUrlUserinfo } from '../secrets/redact-url.js';

/** The fields every line owns; a caller's field of the same name is written as `field.<name>` instead. */
export const RESERVED_FIELDS: readonly string[] = ['time', 'level', 'msg', 'service'];

const RESERVED = new Set(RESERVED_FIELDS);
// Deep enough for any error chain or body worth reading; deeper values are cut, so one log call stays bounded.
const MAX_DEPTH = 12;
const MAX_ARRAY_ITEMS = 200;
const MAX_OBJECT_KEYS = 200;

/** A value that JSON can hold, ready for the log line. */
export type LogValue = string | number | boolean | null | LogValue[] | { [key: string]: LogValue };

/**
 * A caller's fields made fit for a log line: reserved names moved aside (`field.level`), secret fields (the one
 * list in shared/src/secrets) at any depth replaced by `[redacted]`, the userinfo of every URL in a string removed,
 * errors written with their code, `retriable`, cause chain and an AggregateError's errors, bigints as strings,
 * cycles as `[Circular]`. Never throws, whatever the value (a getter that throws is written as `[unreadable]`).
 */
export function logFields(fields: Record<string, unknown> | undefined): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  if (!fields) return out;
  const ancestors = new Set<object>();
  for (const key of Object.keys(fields)) {
    const name = RESERVED.has(key) ? `field.${key}` : key;
    const value = readProperty(fields, key);
    const clean = isSecretKey(key) ? '[redacted]' : toLogValue(value, ancestors, 1);
    if (clean !== undefined) out[name] = clean;
  }
  return out;
}

/** A message with the userinfo of any URL in it removed. */
export function logMessage(message: string): string {
  return redactUrlUserinfo(String(message));
}

function toLogValue(value: unknown, ancestors: Set<object>, depth: number): LogValue | undefined {
  switch (typeof value) {
    case 'string':
      return redactUrlUserinfo(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return '[Circular]';
  if (depth > MAX_DEPTH) return '[Too deep]';
  ancestors.add(object);
  try {
    if (object instanceof Error) return errorValue(object, ancestors, depth);
    if (Array.isArray(object)) return arrayValue(object, ancestors, depth);
    if (object instanceof Map) return objectValue(Object.fromEntries([...object].map(([k, v]) => [String(k), v])), ancestors, depth);
    if (object instanceof Set) return arrayValue([...object], ancestors, depth);
    if (Buffer.isBuffer(object)) return `[Buffer ${object.length} bytes]`;
    if (ArrayBuffer.isView(object)) return `[${object.constructor.name} ${object.byteLength} bytes]`;
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    // Dates, URLs and the like say what they are through toJSON (a URL's href is then cleaned as a string).
    if (typeof toJSON === 'function') return toLogValue(toJSON.call(object), ancestors, depth + 1);
    return objectValue(object as Record<string, unknown>, ancestors, depth);
  } catch {
    return '[unreadable]';
  } finally {
    ancestors.delete(object);
  }
}

function arrayValue(items: unknown[], ancestors: Set<object>, depth: number): LogValue[] {
  const out = items.slice(0, MAX_ARRAY_ITEMS).map((item) => toLogValue(item, ancestors, depth + 1) ?? null);
  if (items.length > MAX_ARRAY_ITEMS) out.push(`[${items.length - MAX_ARRAY_ITEMS} more]`);
  return out;
}

function objectValue(object: Record<string, unknown>, ancestors: Set<object>, depth: number): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  const keys = Object.keys(object);
  for (const key of keys.slice(0, MAX_OBJECT_KEYS)) {
    if (isSecretKey(key)) {
      out[key] = '[redacted]';
      continue;
    }
    const clean = toLogValue(readProperty(object, key), ancestors, depth + 1);
    if (clean !== undefined) out[key] = clean;
  }
  if (keys.length > MAX_OBJECT_KEYS) out['…'] = `${keys.length - MAX_OBJECT_KEYS} more fields`;
  return out;
}

// An Error's name, message and stack are not enumerable: they are written first, then its own enumerable fields
// (code, retriable, a kafkajs error's broker...), then its cause and, for an AggregateError, what it aggregates.
function errorValue(error: Error, ancestors: Set<object>, depth: number): Record<string, LogValue> {
  const out: Record<string, LogValue> = { name: String(readProperty(error, 'name')), message: redactUrlUserinfo(String(readProperty(error, 'message'))) };
  Object.assign(out, objectValue(error as unknown as Record<string, unknown>, ancestors, depth));
  const stack = readProperty(error, 'stack');
  if (typeof stack === 'string') out.stack = redactUrlUserinfo(stack);
  if ('cause' in error) {
    const cause = toLogValue(error.cause, ancestors, depth + 1);
    if (cause !== undefined) out.cause = cause;
  }
  if (error instanceof AggregateError && Array.isArray(error.errors)) out.errors = arrayValue(error.errors, ancestors, depth);
  return out;
}

function readProperty(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

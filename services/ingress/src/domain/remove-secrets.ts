import { isSecretKey } from '../../../../shared/src/index.js';

/**
 * A copy of a parsed JSON value without secret fields (shared/src/secrets: `streamKey`, `stream_key`, tokens,
 * passwords... in any spelling), at any depth, so they are never stored on Kafka nor logged.
 */
export function removeSecrets<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = removeSecrets(value[i]);
    return copy as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (isSecretKey(key)) continue;
    const item = removeSecrets((value as Record<string, unknown>)[key]);
    // Assigning "__proto__" would set the copy's prototype: defined as an own property, it stays data.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}

// Fields that are secrets wherever they appear in a webhook body: never stored on Kafka, never logged.
const SECRET_FIELDS = new Set(['streamKey']);

/** A copy of a parsed JSON value without secret fields, at any depth. */
export function removeSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(removeSecrets) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!SECRET_FIELDS.has(key)) copy[key] = removeSecrets(item);
  }
  return copy as T;
}

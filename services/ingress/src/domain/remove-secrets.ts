// Fields that are secrets wherever they appear in a webhook body: never stored on Kafka, never logged.
const SECRET_FIELDS = new Set(['streamKey']);

/** A copy of a parsed JSON value without secret fields, at any depth. */
export function removeSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(removeSecrets) as T;
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines own properties: a "__proto__" key in the body stays data, never a prototype.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_FIELDS.has(key))
      .map(([key, item]) => [key, removeSecrets(item)]),
  ) as T;
}

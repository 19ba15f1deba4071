import { parseTimestampMicros } from '../../../../shared/src/index.js';

/** A row that does not make a record: the reason names the field and the rule. */
export class RowError extends Error {}

/**
 * Reads the fields of one row under any of their names (a CSV header's, or a JSON object's in camelCase or
 * snake_case), and keeps what no read took for `extraJson`.
 */
export function rowFields(fields: Record<string, unknown>) {
  const taken = new Set<string>();
  const pick = (names: readonly string[]): unknown => {
    for (const name of names) {
      if (Object.hasOwn(fields, name)) {
        taken.add(name);
        return fields[name];
      }
    }
    return undefined;
  };
  const text = (value: unknown, name: string): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    // A structured value (a file message's payload in JSON) is kept as its JSON text.
    if (typeof value === 'object') return JSON.stringify(value);
    throw new RowError(`${name} must be text, got ${typeof value}`);
  };
  return {
    /** Text, or null when absent or empty. */
    optional(names: readonly string[]): string | null {
      const value = text(pick(names), names[0] as string);
      return value === '' ? null : value;
    },
    /** Text that must be present (empty allowed only with `allowEmpty`). */
    required(names: readonly string[], allowEmpty = false): string {
      const value = text(pick(names), names[0] as string);
      if (value === null || (!allowEmpty && value.trim() === '')) throw new RowError(`${names[0]} is missing`);
      return value;
    },
    /** true/false (any case), or false when absent or empty. */
    flag(names: readonly string[]): boolean {
      const value = pick(names);
      if (value === undefined || value === null || value === '') return false;
      if (typeof value === 'boolean') return value;
      const lower = String(value).trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new RowError(`${names[0]} must be true or false, got ${JSON.stringify(String(value).slice(0, 40))}`);
    },
    /** Microseconds since the epoch, from Dyte's timestamp forms or JSON epoch milliseconds; null when absent. */
    time(names: readonly string[]): number | null {
      const value = pick(names);
      if (value === undefined || value === null || value === '') return null;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
      try {
        return parseTimestampMicros(String(value).trim());
      } catch (error) {
        throw new RowError(`${names[0]} ${(error as Error).message}, got ${JSON.stringify(String(value).slice(0, 40))}`);
      }
    },
    /** The fields no read took, as a JSON object; null when none. */
    extraJson(): string | null {
      const extra = Object.fromEntries(Object.entries(fields).filter(([name]) => !taken.has(name)));
      return Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
    },
  };
}

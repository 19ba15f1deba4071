import { parseTimestampMicros } from '../../../../shared/src/index.js';

type Schema = string | Schema[] | { type: string; [key: string]: unknown };
interface RecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  fields: { name: string; type: Schema }[];
  [key: string]: unknown;
}

/** The outcome of fitting a JSON body to a record schema. */
export interface RecordConversion {
  /** The Avro value (JSON-compatible; timestamps as microseconds). Complete only when `problems` is empty. */
  value: Record<string, unknown>;
  /** Each field that breaks the schema, with its path and the rule ("meeting.id is required (a string)"). */
  problems: string[];
  /** The parts of the body the schema does not model, nested as in the body; undefined when there are none. */
  extras: Record<string, unknown> | undefined;
}

const PRIMITIVE_RULES: Record<string, { rule: string; fits: (value: unknown) => boolean } | undefined> = {
  string: { rule: 'a string', fits: (v) => typeof v === 'string' },
  long: { rule: 'an integer', fits: (v) => Number.isSafeInteger(v) },
  int: { rule: 'a 32-bit integer', fits: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31 },
  double: { rule: 'a number', fits: (v) => typeof v === 'number' && Number.isFinite(v) },
  float: { rule: 'a number', fits: (v) => typeof v === 'number' && Number.isFinite(v) },
  boolean: { rule: 'true or false', fits: (v) => typeof v === 'boolean' },
};

/**
 * Fits a parsed webhook body to a self-contained record schema (see SchemaCatalog.resolve): the schema decides
 * what is required, what may be null and which type each field takes, so validation never drifts from the wire
 * format. Fields named in `reserved` are filled in by the caller, not read from the body.
 */
export function toAvroRecord(
  schema: Record<string, unknown>,
  body: Record<string, unknown>,
  reserved: ReadonlySet<string> = new Set(),
): RecordConversion {
  const named = new Map<string, RecordSchema>();
  const problems: string[] = [];

  const fullName = (record: RecordSchema) => (record.namespace ? `${record.namespace}.${record.name}` : record.name);
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);

  const deref = (type: Schema): Schema => (typeof type === 'string' && named.has(type) ? (named.get(type) as RecordSchema) : type);

  const ruleOf = (type: Schema): string => {
    const t = deref(type);
    if (typeof t === 'string') return PRIMITIVE_RULES[t]?.rule ?? t;
    if (Array.isArray(t)) return t.filter((b) => b !== 'null').map(ruleOf).join(' or ');
    if (t.logicalType === 'timestamp-micros') return 'a timestamp';
    if (t.type === 'record') return 'an object';
    if (t.type === 'array') return 'an array';
    return String(t.type);
  };

  const fits = (type: Schema, value: unknown): boolean => {
    const t = deref(type);
    if (typeof t === 'string') return PRIMITIVE_RULES[t]?.fits(value) ?? false;
    if (Array.isArray(t)) return false;
    if (t.logicalType === 'timestamp-micros') return typeof value === 'string';
    if (t.type === 'record') return isObject(value);
    if (t.type === 'array') return Array.isArray(value);
    return false;
  };

  // Returns [avro value, extras of that value].
  const convert = (type: Schema, value: unknown, path: string): [unknown, unknown] => {
    const t = deref(type);
    if (Array.isArray(t)) {
      if (value === undefined || value === null) {
        if (t.includes('null')) return [null, undefined];
        problems.push(`${path} is required (${ruleOf(t)})`);
        return [null, undefined];
      }
      const branch = t.find((b) => b !== 'null' && fits(b, value));
      if (branch === undefined) {
        problems.push(`${path} must be ${ruleOf(t)} (got ${describe(value)})`);
        return [null, undefined];
      }
      return convert(branch, value, path);
    }
    if (value === undefined || value === null) {
      problems.push(`${path} is required (${ruleOf(t)})`);
      return [null, undefined];
    }
    if (typeof t === 'string') {
      if (!PRIMITIVE_RULES[t]?.fits(value)) problems.push(`${path} must be ${ruleOf(t)} (got ${describe(value)})`);
      return [value, undefined];
    }
    if (t.logicalType === 'timestamp-micros') {
      if (typeof value !== 'string') {
        problems.push(`${path} must be a timestamp string (got ${describe(value)})`);
        return [null, undefined];
      }
      try {
        return [parseTimestampMicros(value), undefined];
      } catch (error) {
        problems.push(`${path} ${(error as Error).message} (got ${JSON.stringify(value.slice(0, 40))})`);
        return [null, undefined];
      }
    }
    if (t.type === 'record') {
      if (!isObject(value)) {
        problems.push(`${path} must be an object (got ${describe(value)})`);
        return [null, undefined];
      }
      return convertRecord(t as unknown as RecordSchema, value, path, new Set());
    }
    if (t.type === 'array') {
      if (!Array.isArray(value)) {
        problems.push(`${path} must be an array (got ${describe(value)})`);
        return [[], undefined];
      }
      return [value.map((item, i) => convert(t.items as Schema, item, `${path}[${i}]`)[0]), undefined];
    }
    problems.push(`${path}: unsupported schema type ${String(t.type)}`);
    return [null, undefined];
  };

  const convertRecord = (
    record: RecordSchema,
    json: Record<string, unknown>,
    path: string,
    skip: ReadonlySet<string>,
  ): [Record<string, unknown>, Record<string, unknown> | undefined] => {
    named.set(fullName(record), record);
    const value: Record<string, unknown> = {};
    // Collected as entries and built with fromEntries: a "__proto__" key stays data, never a prototype.
    const extras: [string, unknown][] = [];
    const modelled = new Set<string>();
    for (const field of record.fields) {
      if (skip.has(field.name)) continue;
      modelled.add(field.name);
      const [fieldValue, fieldExtras] = convert(field.type, Object.hasOwn(json, field.name) ? json[field.name] : undefined, join(path, field.name));
      value[field.name] = fieldValue;
      if (fieldExtras !== undefined) extras.push([field.name, fieldExtras]);
    }
    for (const key of Object.keys(json)) {
      if (!modelled.has(key)) extras.push([key, json[key]]);
    }
    return [value, extras.length > 0 ? Object.fromEntries(extras) : undefined];
  };

  const [value, extras] = convertRecord(schema as unknown as RecordSchema, body, '', reserved);
  return { value, problems, extras };
}

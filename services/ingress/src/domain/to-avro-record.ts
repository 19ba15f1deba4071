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

/** One fitting of a body: the problems found so far, and the extras of the record fitted last. */
interface FitRun {
  problems: string[];
  /** Set by a record's fitter as it returns (undefined: none); read by its caller right after. */
  extras: Record<string, unknown> | undefined;
}

/** Fits a JSON value to one schema type, compiled once per schema: the Avro value, problems named by `path`. */
interface Fitter {
  /** How problems name the type ("a string", "an object", "a string or an integer"). */
  rule(): string;
  /** Whether a value (not null) takes this type, as a union chooses its branch. */
  accepts(value: unknown): boolean;
  fit(value: unknown, path: string, run: FitRun): unknown;
}

const PRIMITIVE_RULES: Record<string, { rule: string; fits: (value: unknown) => boolean } | undefined> = {
  string: { rule: 'a string', fits: (v) => typeof v === 'string' },
  long: { rule: 'an integer', fits: (v) => Number.isSafeInteger(v) },
  int: { rule: 'a 32-bit integer', fits: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31 },
  double: { rule: 'a number', fits: (v) => typeof v === 'number' && Number.isFinite(v) },
  float: { rule: 'a number', fits: (v) => typeof v === 'number' && Number.isFinite(v) },
  boolean: { rule: 'true or false', fits: (v) => typeof v === 'boolean' },
};

const NO_FIELDS: ReadonlySet<string> = new Set();
const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Fitters of resolved schemas, per schema object and reserved-field set (the catalog keeps both for good). */
const compiled = new WeakMap<object, WeakMap<ReadonlySet<string>, Fitter>>();

/**
 * Fits a parsed webhook body to a self-contained record schema (see SchemaCatalog.resolve): the schema decides
 * what is required, what may be null and which type each field takes, so validation never drifts from the wire
 * format. Fields named in `reserved` are filled in by the caller, not read from the body. The schema is compiled
 * into fitters on first use, so a webhook walks only its own body.
 */
export function toAvroRecord(
  schema: Record<string, unknown>,
  body: Record<string, unknown>,
  reserved: ReadonlySet<string> = NO_FIELDS,
): RecordConversion {
  let bySkip = compiled.get(schema);
  if (!bySkip) compiled.set(schema, (bySkip = new WeakMap()));
  let fitter = bySkip.get(reserved);
  if (!fitter) bySkip.set(reserved, (fitter = compile(schema as Schema, new Map(), reserved)));
  const run: FitRun = { problems: [], extras: undefined };
  const value = fitter.fit(body, '', run) as Record<string, unknown>;
  return { value, problems: run.problems, extras: run.extras };
}

/** Compiles a schema type; `named` holds the records defined so far, for the names that refer back to them. */
function compile(type: Schema, named: Map<string, Fitter>, skip: ReadonlySet<string> = NO_FIELDS): Fitter {
  if (typeof type === 'string') {
    const primitive = PRIMITIVE_RULES[type];
    if (primitive) return primitiveFitter(primitive);
    // A record named earlier in the schema (a recursive type): looked up when first used, it is complete by then.
    return {
      rule: () => named.get(type)?.rule() ?? type,
      accepts: (value) => named.get(type)?.accepts(value) ?? false,
      fit: (value, path, run) => {
        const target = named.get(type);
        if (target) return target.fit(value, path, run);
        if (required(value, path, run, type) === null) return null;
        run.problems.push(`${path} must be ${type} (got ${describe(value)})`);
        return value;
      },
    };
  }
  if (Array.isArray(type)) return unionFitter(type.map((branch) => (branch === 'null' ? undefined : compile(branch, named))), type.includes('null'));
  if (type.logicalType === 'timestamp-micros') return timestampFitter();
  if (type.type === 'record') return recordFitter(type as unknown as RecordSchema, named, skip);
  if (type.type === 'array') return arrayFitter(compile(type.items as Schema, named));
  const rule = String(type.type);
  return {
    rule: () => rule,
    accepts: () => false,
    fit: (value, path, run) => {
      if (required(value, path, run, rule) === null) return null;
      run.problems.push(`${path}: unsupported schema type ${rule}`);
      return null;
    },
  };
}

/** For a type that is not a union: null when the value is missing (the problem is written), else undefined. */
function required(value: unknown, path: string, run: FitRun, rule: string): null | undefined {
  if (value !== undefined && value !== null) return undefined;
  run.problems.push(`${path} is required (${rule})`);
  return null;
}

function primitiveFitter(primitive: { rule: string; fits: (value: unknown) => boolean }): Fitter {
  return {
    rule: () => primitive.rule,
    accepts: primitive.fits,
    fit(value, path, run) {
      if (required(value, path, run, primitive.rule) === null) return null;
      if (!primitive.fits(value)) run.problems.push(`${path} must be ${primitive.rule} (got ${describe(value)})`);
      return value;
    },
  };
}

function unionFitter(branches: (Fitter | undefined)[], nullable: boolean): Fitter {
  const types = branches.filter((branch): branch is Fitter => branch !== undefined);
  const rule = () => types.map((branch) => branch.rule()).join(' or ');
  return {
    rule,
    // A union inside a union does not occur in Avro.
    accepts: () => false,
    fit(value, path, run) {
      if (value === undefined || value === null) {
        if (!nullable) run.problems.push(`${path} is required (${rule()})`);
        return null;
      }
      const branch = types.find((type) => type.accepts(value));
      if (branch === undefined) {
        run.problems.push(`${path} must be ${rule()} (got ${describe(value)})`);
        return null;
      }
      return branch.fit(value, path, run);
    },
  };
}

function timestampFitter(): Fitter {
  return {
    rule: () => 'a timestamp',
    accepts: (value) => typeof value === 'string',
    fit(value, path, run) {
      if (required(value, path, run, 'a timestamp') === null) return null;
      if (typeof value !== 'string') {
        run.problems.push(`${path} must be a timestamp string (got ${describe(value)})`);
        return null;
      }
      try {
        return parseTimestampMicros(value);
      } catch (error) {
        run.problems.push(`${path} ${(error as Error).message} (got ${JSON.stringify(value.slice(0, 40))})`);
        return null;
      }
    },
  };
}

function arrayFitter(items: Fitter): Fitter {
  return {
    rule: () => 'an array',
    accepts: Array.isArray,
    fit(value, path, run) {
      if (required(value, path, run, 'an array') === null) return null;
      if (!Array.isArray(value)) {
        run.problems.push(`${path} must be an array (got ${describe(value)})`);
        return [];
      }
      const out = value.map((item, i) => items.fit(item, `${path}[${i}]`, run));
      // The extras of array items are not kept.
      run.extras = undefined;
      return out;
    },
  };
}

function recordFitter(record: RecordSchema, named: Map<string, Fitter>, skip: ReadonlySet<string>): Fitter {
  const fitter: Fitter = {
    rule: () => 'an object',
    accepts: isObject,
    fit(value, path, run) {
      if (required(value, path, run, 'an object') === null) return null;
      if (!isObject(value)) {
        run.problems.push(`${path} must be an object (got ${describe(value)})`);
        return null;
      }
      const out: Record<string, unknown> = {};
      // Collected as entries and built with fromEntries: a "__proto__" key stays data, never a prototype.
      let extras: [string, unknown][] | undefined;
      for (const field of fields) {
        run.extras = undefined;
        out[field.name] = field.fitter.fit(Object.hasOwn(value, field.name) ? value[field.name] : undefined, join(path, field.name), run);
        if (run.extras !== undefined) (extras ??= []).push([field.name, run.extras]);
      }
      for (const key of Object.keys(value)) {
        if (!modelled.has(key)) (extras ??= []).push([key, value[key]]);
      }
      run.extras = extras ? Object.fromEntries(extras) : undefined;
      return out;
    },
  };
  named.set(record.namespace ? `${record.namespace}.${record.name}` : record.name, fitter);
  const fields = record.fields.filter((field) => !skip.has(field.name)).map((field) => ({ name: field.name, fitter: compile(field.type, named) }));
  const modelled = new Set(fields.map((field) => field.name));
  return fitter;
}

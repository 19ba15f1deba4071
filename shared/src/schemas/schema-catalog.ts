import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';

/** An Avro schema as JSON. */
export type AvroSchema = Record<string, unknown> | string | AvroSchema[];

/** The .avsc files of schemas/, indexed by full record name, each resolvable into a self-contained schema. */
export interface SchemaCatalog {
  /** Full names of every record type defined in the folder. */
  names(): string[];
  /**
   * The schema of `fullName` with every named type it uses defined inline at its first use, as the registry and
   * any consumer need it: one document, no references to other files. Built once and shared: never modify it.
   */
  resolve(fullName: string): Record<string, unknown>;
  /** The avsc Type of `fullName`, built once. */
  type(fullName: string): avro.Type;
}

/** The repo's schemas/ folder, wherever the code runs from (sources or dist/). */
export function defaultSchemasDir(): string {
  for (const candidate of [join(__dirname, '..', '..', '..', 'schemas'), join(__dirname, '..', '..', '..', '..', 'schemas')]) {
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`schemas/ folder not found near ${__dirname}`);
}

/** Reads every `.avsc` in `dir` once. Each file holds one record type (the single source of truth). */
export function loadSchemaCatalog(dir: string = defaultSchemasDir()): SchemaCatalog {
  const byName = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.avsc')).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    const fullName = `${String(schema.namespace)}.${String(schema.name)}`;
    if (byName.has(fullName)) throw new Error(`schemas/${file} defines ${fullName} a second time`);
    byName.set(fullName, schema);
  }
  const types = new Map<string, avro.Type>();
  // The ingress resolves the schema of every webhook it fits: inlining it again each time was a measurable
  // share of its CPU per request (make bench, ingress profile). The files never change after loading.
  const resolved = new Map<string, Record<string, unknown>>();

  const resolve = (fullName: string): Record<string, unknown> => {
    let schema = resolved.get(fullName);
    if (!schema) {
      schema = inlineAll(fullName);
      resolved.set(fullName, schema);
    }
    return schema;
  };
  const inlineAll = (fullName: string): Record<string, unknown> => {
    const defined = new Set<string>();
    const inline = (schema: AvroSchema): AvroSchema => {
      if (typeof schema === 'string') {
        const named = byName.get(schema);
        if (!named || defined.has(schema)) return schema;
        return inline(named);
      }
      if (Array.isArray(schema)) return schema.map(inline);
      if (schema.type === 'record') {
        defined.add(`${String(schema.namespace)}.${String(schema.name)}`);
        const fields = (schema.fields as { type: AvroSchema }[]).map((field) => ({ ...field, type: inline(field.type) }));
        return { ...schema, fields };
      }
      if (schema.type === 'array') return { ...schema, items: inline(schema.items as AvroSchema) };
      return schema;
    };
    const root = byName.get(fullName);
    if (!root) throw new Error(`no schema named ${fullName} in schemas/`);
    return inline(root) as Record<string, unknown>;
  };

  return {
    names: () => [...byName.keys()],
    resolve,
    type(fullName) {
      let type = types.get(fullName);
      if (!type) {
        type = avro.Type.forSchema(resolve(fullName) as avro.Schema);
        types.set(fullName, type);
      }
      return type;
    },
  };
}

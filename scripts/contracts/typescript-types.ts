import type { SchemaCatalog } from '../../shared/src/index.js';

type Schema = string | Schema[] | { type: string; [key: string]: unknown };

const shortName = (fullName: string) => fullName.split('.').at(-1) ?? fullName;
const PRIMITIVES: Record<string, string> = { string: 'string', long: 'number', int: 'number', double: 'number', float: 'number', boolean: 'boolean', null: 'null', bytes: 'Buffer' };

/**
 * TypeScript interfaces for every record of schemas/, as avsc decodes them (timestamps as microseconds), after the
 * namespace and the full name of each record, so code names a record type without spelling it out.
 */
export function typescriptTypes(catalog: SchemaCatalog): string {
  const tsType = (schema: Schema): string => {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? shortName(schema);
    if (Array.isArray(schema)) return schema.map(tsType).join(' | ');
    if (schema.type === 'array') return `${tsType(schema.items as Schema)}[]`;
    if (schema.type === 'record') return shortName(`${String(schema.namespace)}.${String(schema.name)}`);
    return PRIMITIVES[schema.type] ?? 'unknown';
  };
  const blocks = catalog.names().sort().map((fullName) => {
    const schema = catalog.resolve(fullName) as { doc?: string; fields: { name: string; type: Schema; doc?: string }[] };
    const fields = schema.fields.map((field) => {
      const micros = JSON.stringify(field.type).includes('timestamp-micros') ? ' Microseconds since the epoch.' : '';
      const text = `${(field.doc ?? '').trim()}${micros}`.trim();
      const doc = text ? `  /** ${text} */\n` : '';
      return `${doc}  ${field.name}: ${tsType(field.type)};`;
    });
    return `/** ${fullName}${schema.doc ? `: ${schema.doc}` : ''} */\nexport interface ${shortName(fullName)} {\n${fields.join('\n')}\n}`;
  });
  return `// Generated from schemas/ by scripts/contracts/generate.ts: do not edit by hand (make contracts).\n\n${recordNames(catalog)}\n\n${blocks.join('\n\n')}\n`;
}

// One namespace for every record: a second one would need its own constant, so the generator refuses it.
function recordNames(catalog: SchemaCatalog): string {
  const names = catalog.names().sort();
  const namespaces = [...new Set(names.map((name) => name.slice(0, name.length - shortName(name).length - 1)))];
  if (namespaces.length !== 1) throw new Error(`every record of schemas/ must share one namespace, found: ${namespaces.join(', ')}`);
  const entries = names.map((name) => `  ${shortName(name)}: '${name}',`);
  return [
    `/** Namespace of every record type of schemas/. */`,
    `export const SCHEMA_NAMESPACE = '${namespaces[0]}';`,
    ``,
    `/** The full name of every record type of schemas/, by its short name. */`,
    `export const RECORD_NAMES = {\n${entries.join('\n')}\n} as const;`,
    ``,
    `/** The full name of a record type of schemas/. */`,
    `export type RecordName = (typeof RECORD_NAMES)[keyof typeof RECORD_NAMES];`,
  ].join('\n');
}

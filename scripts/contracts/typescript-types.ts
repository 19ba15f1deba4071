import type { SchemaCatalog } from '../../shared/src/index.js';

type Schema = string | Schema[] | { type: string; [key: string]: unknown };

const shortName = (fullName: string) => fullName.split('.').at(-1) ?? fullName;
const PRIMITIVES: Record<string, string> = { string: 'string', long: 'number', int: 'number', double: 'number', float: 'number', boolean: 'boolean', null: 'null', bytes: 'Buffer' };

/** TypeScript interfaces for every record of schemas/, as avsc decodes them (timestamps as microseconds). */
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
  return `// Generated from schemas/ by scripts/contracts/generate.ts: do not edit by hand (make contracts).\n\n${blocks.join('\n\n')}\n`;
}

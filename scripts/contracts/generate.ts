// Writes the contracts derived from schemas/: docs/asyncapi.yaml and shared/src/generated/records.ts.
// `make contracts` runs it; a unit test fails when either file is out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSchemaCatalog } from '../../shared/src/index.js';
import { asyncApiDocument } from './asyncapi-document.js';
import { typescriptTypes } from './typescript-types.js';

/** Where each generated file goes, relative to the repository root, with its content. */
export function contracts(): Record<string, string> {
  const catalog = loadSchemaCatalog();
  const { version } = require('../../package.json') as { version: string };
  return {
    'docs/asyncapi.yaml': asyncApiDocument(catalog, version),
    'shared/src/generated/records.ts': typescriptTypes(catalog),
  };
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  for (const [path, content] of Object.entries(contracts())) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}

export { defaultSchemasDir, loadSchemaCatalog, type AvroSchema, type SchemaCatalog } from './schema-catalog.js';

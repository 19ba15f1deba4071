import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

/** A record read back from Kafka: its Avro record's full name and its decoded value. */
export interface WireRecord {
  recordName: string;
  value: Record<string, unknown>;
}

/** True when `value` starts like the Confluent wire format: magic byte 0, then a 4-byte schema id. */
export function isWireFormat(value: Buffer): boolean {
  return value.length >= 5 && value[0] === 0;
}

/**
 * Decodes a value in the Confluent wire format with the schema its id names (the client caches schemas by id).
 * Throws what the registry client throws: a 404 for an unknown id, a decoding error for bad bytes, a network error.
 */
export async function decodeWireRecord(registry: SchemaRegistry, value: Buffer): Promise<WireRecord> {
  const schema = (await registry.getSchema(value.readInt32BE(1))) as { name?: string };
  return { recordName: schema.name ?? '', value: (await registry.decode(value)) as Record<string, unknown> };
}

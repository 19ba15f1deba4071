import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { decodeFrame, WireFormatError } from '../contract/index.js';

/** A record read back from Kafka: its Avro record's full name and its decoded value. */
export interface WireRecord {
  recordName: string;
  value: Record<string, unknown>;
}

/**
 * Decodes a value in the Confluent wire format with the schema its id names (the client caches schemas by id).
 * Throws a WireFormatError for a value that is not framed, else what the registry client throws: a 404 for an
 * unknown id, a decoding error for bad bytes, a network error.
 */
export async function decodeWireRecord(registry: SchemaRegistry, value: Buffer): Promise<WireRecord> {
  const { schemaId, payload } = decodeFrame(value);
  const schema = await registry.getSchema(schemaId);
  return { recordName: (schema as { name?: string }).name ?? '', value: schema.fromBuffer(payload) as Record<string, unknown> };
}

/**
 * True when decodeWireRecord failed for good: a value that is not framed, a schema id the registry does not know
 * (404), or bytes that do not decode. Anything else (the registry unreachable) may work when tried again.
 */
export function isUndecodable(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 404 || error instanceof WireFormatError || error instanceof RangeError || /invalid|truncated|decode/i.test((error as Error).message);
}

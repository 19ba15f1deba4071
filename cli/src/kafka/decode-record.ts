import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { KafkaMessage } from 'kafkajs';
import { decodeWireRecord, isWireFormat } from '../../../shared/src/index.js';

/** A Kafka record as `tail` prints it: where it is, its key and headers, its record type and decoded value. */
export interface DecodedRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  /** The Avro record's full name, or null for a value not in the Confluent wire format. */
  record: string | null;
  value: unknown;
  /** Why the value could not be decoded, when it could not. */
  problem?: string;
}

/** Decodes a record with the registry (schemas by id, cached by the client); a value that fails is shown raw. */
export async function decodeRecord(registry: SchemaRegistry, message: KafkaMessage, topic: string, partition: number): Promise<DecodedRecord> {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(',') : String(value ?? '')]),
  );
  const base = {
    topic,
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    key: message.key?.toString() ?? null,
    headers,
  };
  const value = message.value;
  if (!value || !isWireFormat(value)) {
    return { ...base, record: null, value: value?.toString('utf8') ?? null, problem: 'not in the Confluent Avro wire format' };
  }
  try {
    const decoded = await decodeWireRecord(registry, value);
    return { ...base, record: decoded.recordName || null, value: decoded.value };
  } catch (error) {
    return { ...base, record: null, value: value.toString('base64'), problem: `cannot decode: ${(error as Error).message}` };
  }
}

import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { SchemaCatalog } from '../schemas/index.js';

/** Encodes records in the Confluent wire format with schema ids resolved once, at start. */
export interface EventEncoder {
  /** Magic byte 0, the 4-byte schema id of `<topic>-<recordName>`, then the Avro binary of `value`. */
  encode(topic: string, recordName: string, value: Record<string, unknown>): Buffer;
}

/**
 * Registers each (topic, record) pair under its TopicRecordNameStrategy subject (`<topic>-<record full name>`)
 * and returns an encoder that never calls the registry again.
 */
export async function registerEventSchemas(
  registry: SchemaRegistry,
  catalog: SchemaCatalog,
  pairs: { topic: string; recordName: string }[],
): Promise<EventEncoder> {
  const ids = new Map<string, number>();
  for (const { topic, recordName } of pairs) {
    const schema = JSON.stringify(catalog.resolve(recordName));
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${topic}-${recordName}` });
    ids.set(`${topic}\u0000${recordName}`, id);
  }
  return {
    encode(topic, recordName, value) {
      const id = ids.get(`${topic}\u0000${recordName}`);
      if (id === undefined) throw new Error(`no schema registered for ${recordName} on ${topic}`);
      const avro = catalog.type(recordName).toBuffer(value);
      const framed = Buffer.allocUnsafe(5 + avro.length);
      framed.writeUInt8(0, 0);
      framed.writeInt32BE(id, 1);
      avro.copy(framed, 5);
      return framed;
    },
  };
}

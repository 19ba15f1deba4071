import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { encodeFramedValue } from '../contract/index.js';
import { UnavailableError } from '../errors/index.js';
import { withDeadline } from '../lifecycle/with-deadline.js';
import type { SchemaCatalog } from '../schemas/index.js';

/** Encodes records in the Confluent wire format with schema ids resolved once, at start. */
export interface EventEncoder {
  /** Magic byte 0, the 4-byte schema id of `<topic>-<recordName>`, then the Avro binary of `value`. */
  encode(topic: string, recordName: string, value: object): Buffer;
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
    const subject = `${topic}-${recordName}`;
    const { id } = await registerWithRetry(registry, schema, subject);
    ids.set(`${topic}\u0000${recordName}`, id);
  }
  return {
    encode(topic, recordName, value) {
      const id = ids.get(`${topic}\u0000${recordName}`);
      if (id === undefined) throw new Error(`no schema registered for ${recordName} on ${topic}`);
      return encodeFramedValue(id, catalog.type(recordName), value);
    },
  };
}

// Registering is idempotent, so a call that hangs or fails (a registry busy with a concurrent registration of
// the same subject, say) is simply made again, each within a deadline, instead of holding a start-up forever.
async function registerWithRetry(registry: SchemaRegistry, schema: string, subject: string): Promise<{ id: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withDeadline(
        registry.register({ type: SchemaType.AVRO, schema }, { subject }),
        10_000,
        () => new UnavailableError('REGISTRY_TIMEOUT', `the schema registry did not register ${subject} within 10 s`),
      );
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

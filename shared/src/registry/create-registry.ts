import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

/** A client of a Confluent-compatible Schema Registry (Confluent's, or Apicurio's `/apis/ccompat/v7`). */
export function createRegistry(url: string): SchemaRegistry {
  return new SchemaRegistry({ host: url, clientId: 'dyte-kafka-bridge', retry: { retries: 2, initialRetryTimeInSecs: 0.1 } });
}

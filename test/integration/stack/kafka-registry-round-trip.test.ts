import { strict as assert } from 'node:assert';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { createKafka, createLogger, createRegistry, ensureTopics } from '../../../shared/src/index.js';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';

describe('the local stack: Kafka and the schema registry', () => {
  const logger = createLogger({ level: 'warn', name: 'test' });
  let kafka: Kafka;

  before(() => {
    kafka = createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'stack-test', logger });
  });

  it('when a record is produced through the registry with acks=all, then a consumer group decodes it unchanged', async () => {
    const topic = uniqueName('stack-proof');
    const created = await ensureTopics(kafka, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
    assert.deepEqual(created, [topic]);

    const registry = createRegistry(testConfig.schemaRegistryUrl);
    const schema = {
      type: 'record',
      name: 'StackProof',
      namespace: 'io.dytebridge.test',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'count', type: 'int' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    };
    const subject = `${topic}-io.dytebridge.test.StackProof`;
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    assert.ok(Number.isInteger(id) && id > 0, `schema id ${id} is a positive integer`);

    const sent = { id: 'meeting-1', count: 42, at: 1670914659051621, note: 'héllo' };
    const value = await registry.encode(id, sent);
    assert.equal(value[0], 0, 'Confluent framing starts with magic byte 0');
    assert.equal(value.readInt32BE(1), id, 'then the 4-byte schema id');

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const [ack] = await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: [{ key: sent.id, value }],
      });
      assert.equal(ack?.errorCode, 0);
    } finally {
      await producer.disconnect();
    }

    const [message] = await consumeMessages(kafka, topic, 1);
    assert.ok(message?.value, 'a message arrived with a value');
    assert.equal(message.key?.toString(), sent.id);
    // The decoder returns an instance of the generated record class: compare its fields.
    assert.deepEqual({ ...(await registry.decode(message.value)) }, sent);
  });

  it('when the same schema is registered twice under a subject, then the registry answers the same id', async () => {
    const registry = createRegistry(testConfig.schemaRegistryUrl);
    const subject = `${uniqueName('stack-proof')}-io.dytebridge.test.Twice`;
    const schema = JSON.stringify({ type: 'record', name: 'Twice', namespace: 'io.dytebridge.test', fields: [{ name: 'a', type: 'string' }] });
    const first = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    const second = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    assert.equal(second.id, first.id);
    assert.equal(await registry.getLatestSchemaId(subject), first.id);
  });
});

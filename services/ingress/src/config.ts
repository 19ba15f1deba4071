import { baseConfigSchema, integerSetting } from '../../../shared/src/index.js';

/** Everything the ingress reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  port: integerSetting({ env: 'INGRESS_PORT', doc: 'HTTP port of the webhook endpoint', default: 3000, min: 1, max: 65535 }),
  topicPartitions: integerSetting({
    env: 'TOPIC_PARTITIONS',
    doc: 'Partitions of each topic the fleet creates (the most dispatchers that can share a topic)',
    default: 6,
    min: 1,
    max: 1000,
  }),
  topicReplicationFactor: integerSetting({
    env: 'TOPIC_REPLICATION_FACTOR',
    doc: 'Replication factor of each topic the fleet creates',
    default: 1,
    min: 1,
    max: 10,
  }),
};

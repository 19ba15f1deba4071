import { enumSetting, hostPortListSetting, stringSetting, urlSetting } from './setting.js';

/** The settings every service shares: where Kafka, the registry and Redis are, and how to log. */
export const baseConfigSchema = {
  kafkaBrokers: hostPortListSetting({
    env: 'KAFKA_BROKERS',
    doc: 'Kafka bootstrap brokers',
    default: ['127.0.0.1:9092'],
  }),
  schemaRegistryUrl: urlSetting({
    env: 'SCHEMA_REGISTRY_URL',
    doc: 'Base URL of a Confluent-compatible Schema Registry API',
    default: 'http://127.0.0.1:8081/apis/ccompat/v7',
    protocols: ['http:', 'https:'],
  }),
  redisUrl: urlSetting({
    env: 'REDIS_URL',
    doc: 'Redis for the BullMQ queues (needs maxmemory-policy noeviction)',
    default: 'redis://127.0.0.1:6379',
    protocols: ['redis:', 'rediss:'],
  }),
  logLevel: enumSetting({
    env: 'LOG_LEVEL',
    doc: 'Minimum level of the JSON logs',
    default: 'info',
    values: ['debug', 'info', 'warn', 'error'] as const,
  }),
  topicPrefix: stringSetting({
    env: 'TOPIC_PREFIX',
    doc: 'Prefix of every Kafka topic of the fleet',
    default: 'dyte.',
  }),
};

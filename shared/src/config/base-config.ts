import { DEFAULT_TOPIC_PREFIX } from '../contract/index.js';
import { enumSetting, hostPortListSetting, integerSetting, optionalIntegerSetting, stringSetting, urlSetting } from './setting.js';

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
    default: DEFAULT_TOPIC_PREFIX,
  }),
  archiveQueue: stringSetting({
    env: 'ARCHIVE_QUEUE',
    doc: 'BullMQ queue of download jobs (parked records go to <name>-parked)',
    default: 'dyte-archive',
  }),
  jobAttempts: integerSetting({
    env: 'ARCHIVE_JOB_ATTEMPTS',
    doc: 'Attempts of a download job before it fails for good (retries never go past the link expiry)',
    default: 20,
    min: 1,
    max: 1000,
  }),
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
  topicMinInsyncReplicas: optionalIntegerSetting({
    env: 'TOPIC_MIN_INSYNC_REPLICAS',
    doc: "min.insync.replicas of each topic the fleet creates (at most TOPIC_REPLICATION_FACTOR); unset: the broker's",
    min: 1,
    max: 10,
  }),
};

export { createEventProducer } from './create-event-producer.js';
export { createKafka, type KafkaClientOptions } from './create-kafka.js';
export { ensureTopics, type TopicSpec } from './ensure-topics.js';
export { murmur2, Murmur2Partitioner } from './murmur2-partitioner.js';
export { EXPECTED_ANSWERS, kafkajsLogLevel } from './kafkajs-log-level.js';

export { createEventProducer } from './create-event-producer.js';
export { createKafka, type KafkaClientOptions } from './create-kafka.js';
export { ensureTopics, type TopicSpec } from './ensure-topics.js';
export { EXPECTED_ANSWERS, kafkajsLogLevel } from './kafkajs-log-level.js';

export { createEventProducer } from './create-event-producer.js';
export { createKafka, type KafkaClientOptions } from './create-kafka.js';
export { ensureTopics, type TopicSpec } from './ensure-topics.js';

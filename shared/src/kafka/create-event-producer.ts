import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * The producer every service writes events with: idempotent, one request in flight (ordering kept across
 * retries), no topic auto-creation, and murmur2 partitioning as Java's producer, so a key lands on the same
 * partition whichever language produced it.
 */
export function createEventProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

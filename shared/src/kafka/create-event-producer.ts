import type { Kafka, Producer } from 'kafkajs';
import { Murmur2Partitioner } from './murmur2-partitioner.js';

/**
 * The producer every service writes events with: acks=all is asked per send; one request in flight per broker
 * connection (ordering kept), no topic auto-creation, and murmur2 partitioning as Java's producer, so a key lands on
 * the same partition whichever language produced it.
 *
 * Not idempotent, and no retries inside kafkajs: a failed send fails as a whole and its caller retries it (the
 * ingress answers 503 and Dyte sends again, a download job publishes its result again), so delivery is
 * at-least-once and duplicates are told by `delivery-id` / `job-id`. kafkajs 2.2.4's idempotent numbering and its
 * own retries lose acknowledged records when partition leaders move (docs/adr/0013): a partial failure gives back
 * the sequence numbers of partitions that were written, so a later batch is answered as a duplicate and not
 * written; and a retry skips partitions whose new leader already answered.
 */
export function createEventProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    retry: { retries: 0 },
    allowAutoTopicCreation: false,
    createPartitioner: Murmur2Partitioner,
  });
}

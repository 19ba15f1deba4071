import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { oneSendAtATime } from './one-send-at-a-time.js';

/**
 * The producer every service writes events with: idempotent, one request in flight and one send at a time
 * (ordering and kafkajs's sequence numbers kept across retries and leader changes), no topic auto-creation, and
 * murmur2 partitioning as Java's producer, so a key lands on the same partition whichever language produced it.
 */
export function createEventProducer(kafka: Kafka): Producer {
  return oneSendAtATime(
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    }),
  );
}

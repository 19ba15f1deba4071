import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './unique-name.js';
import { waitFor } from './wait-for.js';

/**
 * Reads `topic` from the beginning in a fresh consumer group until `count` messages arrived (or the timeout),
 * then disconnects. Returns the messages in arrival order.
 */
export async function consumeMessages(
  kafka: Kafka,
  topic: string,
  count: number,
  options: { timeoutMs?: number; groupId?: string } = {},
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: options.groupId ?? uniqueName('test-group'), maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    await waitFor(() => messages.length >= count, {
      timeoutMs: options.timeoutMs ?? 30_000,
      description: `${count} messages on ${topic} (got ${messages.length})`,
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Messages of a topic as they arrive, for as long as a test needs them. */
export interface FollowedTopic {
  messages: KafkaMessage[];
  /** Waits until `predicate` holds for the messages so far. */
  waitUntil(predicate: (messages: KafkaMessage[]) => boolean, description: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Follows `topic` from the beginning in a fresh consumer group, keeping every message, until `stop`. */
export async function followMessages(kafka: Kafka, topic: string): Promise<FollowedTopic> {
  const consumer = kafka.consumer({ groupId: uniqueName('test-follow'), maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      messages.push(...batch.messages);
    },
  });
  return {
    messages,
    async waitUntil(predicate, description, timeoutMs = 60_000) {
      await waitFor(() => predicate(messages), { timeoutMs, description: `${description} on ${topic} (${messages.length} message(s) so far)` });
    },
    stop: () => consumer.disconnect(),
  };
}

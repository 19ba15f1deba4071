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

import type { Kafka } from 'kafkajs';

/** The sum of the end offsets of every partition of `topics`: the records ever written to them. */
export async function endOffsetSum(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) sum += Number(partition.high);
    }
    return sum;
  } finally {
    await admin.disconnect();
  }
}

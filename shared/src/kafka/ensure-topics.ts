import type { Kafka } from 'kafkajs';

/** A topic the project creates itself. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * Creates the topics that do not exist yet and leaves existing ones alone (their partition count is never
 * changed behind an operator's back). Returns the names it created.
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

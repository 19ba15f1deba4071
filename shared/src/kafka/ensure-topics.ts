import type { Admin, Kafka } from 'kafkajs';

/** A topic the project creates itself. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/** How long created topics may take to have a leader for every partition, as every broker sees them. */
const LEADERS_TIMEOUT_MS = 30_000;
/** Metadata answers in a row (each from a broker picked at random) that must show every created partition led. */
const ANSWERS_IN_A_ROW = 3;

/**
 * Creates the topics that do not exist yet and leaves existing ones alone (their partition count is never
 * changed behind an operator's back), then waits until they have leaders. Returns the names it created.
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    // Not kafkajs's waitForLeaders: it asks one broker once the controller has created them and gives up on
    // UNKNOWN_TOPIC_OR_PARTITION, which a broker of a cluster answers until the new topics reach its metadata
    // (docs/adr/0013); a single node never does.
    await admin.createTopics({ topics: missing, waitForLeaders: false });
    await waitForLeaders(admin, missing.map((spec) => spec.topic));
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  let inARow = 0;
  let lastProblem = 'no answer yet';
  while (inARow < ANSWERS_IN_A_ROW) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const led = topics.every((topic) => {
        const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
      });
      inARow = led ? inARow + 1 : 0;
      if (!led) lastProblem = 'a partition without a leader';
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE: the broker asked has not caught up yet.
      inARow = 0;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (inARow >= ANSWERS_IN_A_ROW) return;
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${LEADERS_TIMEOUT_MS} ms: ${lastProblem}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import type { Kafka } from 'kafkajs';
import { ensureTopics } from '../../shared/src/index.js';

/**
 * Creates the run's topics (6 partitions, as the fleet's default) through the fleet's own ensureTopics, trying
 * again for a while: right after a creation the broker may still answer that it does not host a partition.
 */
export async function createTopics(kafka: Kafka, topics: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(kafka, topics.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })));
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

import type { TopicSpec } from '../kafka/ensure-topics.js';
import { COMPACTED_TOPICS, topicNames, type TopicRole } from './topics.js';

/** Every topic of the fleet with its partitions and replication: each service ensures them all at start. */
export function fleetTopicSpecs(settings: { topicPrefix: string; topicPartitions: number; topicReplicationFactor: number }): TopicSpec[] {
  return Object.entries(topicNames(settings.topicPrefix)).map(([role, topic]) => ({
    topic,
    numPartitions: settings.topicPartitions,
    replicationFactor: settings.topicReplicationFactor,
    ...(COMPACTED_TOPICS.includes(role as TopicRole) ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
  }));
}

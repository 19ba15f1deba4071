import type { TopicSpec } from '../kafka/ensure-topics.js';
import { topicNames } from './topics.js';

/** Every topic of the fleet with its partitions and replication: each service ensures them all at start. */
export function fleetTopicSpecs(settings: { topicPrefix: string; topicPartitions: number; topicReplicationFactor: number }): TopicSpec[] {
  return Object.values(topicNames(settings.topicPrefix)).map((topic) => ({
    topic,
    numPartitions: settings.topicPartitions,
    replicationFactor: settings.topicReplicationFactor,
  }));
}

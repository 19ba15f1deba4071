import { ConfigError } from '../errors/index.js';
import type { TopicSpec } from '../kafka/ensure-topics.js';
import { COMPACTED_TOPICS, topicNames, type TopicRole } from './topics.js';

/** The settings that shape the fleet's topics. */
export interface FleetTopicSettings {
  topicPrefix: string;
  topicPartitions: number;
  topicReplicationFactor: number;
  /** Unset: the broker's `min.insync.replicas`. */
  topicMinInsyncReplicas?: number | undefined;
}

/**
 * Every topic of the fleet with its partitions, replication and `min.insync.replicas`: each service ensures them
 * all at start. Throws a ConfigError when more in-sync replicas are required than there are replicas, which Kafka
 * would accept and then refuse every acks=all write to.
 */
export function fleetTopicSpecs(settings: FleetTopicSettings): TopicSpec[] {
  const minIsr = settings.topicMinInsyncReplicas;
  if (minIsr !== undefined && minIsr > settings.topicReplicationFactor) {
    throw new ConfigError([
      `TOPIC_MIN_INSYNC_REPLICAS must be at most TOPIC_REPLICATION_FACTOR (got ${minIsr} > ${settings.topicReplicationFactor})`,
    ]);
  }
  return Object.entries(topicNames(settings.topicPrefix)).map(([role, topic]) => {
    const configEntries = [
      ...(COMPACTED_TOPICS.includes(role as TopicRole) ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
      ...(minIsr === undefined ? [] : [{ name: 'min.insync.replicas', value: String(minIsr) }]),
    ];
    return {
      topic,
      numPartitions: settings.topicPartitions,
      replicationFactor: settings.topicReplicationFactor,
      ...(configEntries.length > 0 ? { configEntries } : {}),
    };
  });
}

import type { Resource } from './dyte-events.js';

/** The prefix of every topic of the fleet unless `TOPIC_PREFIX` says otherwise. */
export const DEFAULT_TOPIC_PREFIX = 'dyte.';

/**
 * The fleet's topics, by role: one per Dyte resource, one for events of unknown resources, the archive results, the
 * session ledger's states (compacted), and the content of archived artifacts: chat messages, transcript lines and
 * summaries (docs/adr/0014).
 */
export type TopicRole = Resource | 'unknown' | 'archive' | 'sessions' | 'chat' | 'transcript';

/** The name of each of the fleet's topics. */
export type Topics = Record<TopicRole, string>;

/** Every topic the fleet writes, in the order they are documented and created. */
export const TOPIC_ROLES = ['meeting', 'recording', 'livestreaming', 'unknown', 'archive', 'sessions', 'chat', 'transcript'] as const satisfies readonly TopicRole[];

/** The topics the downloaders write an archived artifact's content to, keyed by session id (docs/adr/0014). */
export const STREAM_TOPICS = ['chat', 'transcript'] as const satisfies readonly TopicRole[];

/** The topics the ingress writes webhooks to: one per resource, and one for events of unknown resources. */
export const EVENT_TOPICS = ['meeting', 'recording', 'livestreaming', 'unknown'] as const satisfies readonly TopicRole[];

/** The topics whose events point at artifacts to archive: what the dispatcher (and `replay archive`) reads. */
export const ARTIFACT_EVENT_TOPICS = ['meeting', 'recording'] as const satisfies readonly TopicRole[];

/** The topics the session ledger folds: the events that start, end and announce artifacts, and the archive results. */
export const LEDGER_SOURCE_TOPICS = ['meeting', 'recording', 'archive'] as const satisfies readonly TopicRole[];

/** Topics that keep the latest record of each key (cleanup.policy=compact) instead of deleting by age. */
export const COMPACTED_TOPICS: readonly TopicRole[] = ['sessions'];

/** Topic names under a prefix (`TOPIC_PREFIX`, `dyte.` by default): the role appended to the prefix. */
export function topicNames(prefix: string): Topics {
  return Object.fromEntries(TOPIC_ROLES.map((role) => [role, `${prefix}${role}`])) as Topics;
}

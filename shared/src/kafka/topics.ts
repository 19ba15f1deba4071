import type { Resource } from '../events/index.js';

/** The Kafka topics of the fleet: one per Dyte resource, one for events of unknown resources, the archive results. */
export type Topics = Record<Resource | 'unknown' | 'archive', string>;

/** Topic names under a prefix (`TOPIC_PREFIX`, `dyte.` by default). */
export function topicNames(prefix: string): Topics {
  return {
    meeting: `${prefix}meeting`,
    recording: `${prefix}recording`,
    livestreaming: `${prefix}livestreaming`,
    unknown: `${prefix}unknown`,
    archive: `${prefix}archive`,
  };
}

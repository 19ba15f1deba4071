/** The Kafka topics of the fleet, one per Dyte resource plus the archive results. */
export interface Topics {
  meeting: string;
  recording: string;
  livestreaming: string;
  archive: string;
}

/** Topic names under a prefix (`TOPIC_PREFIX`, `dyte.` by default). */
export function topicNames(prefix: string): Topics {
  return {
    meeting: `${prefix}meeting`,
    recording: `${prefix}recording`,
    livestreaming: `${prefix}livestreaming`,
    archive: `${prefix}archive`,
  };
}

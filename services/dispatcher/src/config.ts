import { baseConfigSchema, integerSetting, stringSetting } from '../../../shared/src/index.js';

/** Everything the dispatcher reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  groupId: stringSetting({
    env: 'DISPATCHER_GROUP_ID',
    doc: 'Kafka consumer group of the dispatchers (replicas share it; at most one per partition is busy)',
    default: 'dyte-archive-dispatcher',
  }),
  jobAttempts: integerSetting({
    env: 'ARCHIVE_JOB_ATTEMPTS',
    doc: 'Attempts of a download job before it fails for good (retries never go past the link expiry)',
    default: 20,
    min: 1,
    max: 1000,
  }),
};

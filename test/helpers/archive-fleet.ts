import { createRedis, obliterateArchiveQueues } from '../../shared/src/index.js';
import type { IngressUnderTest } from './ingress-under-test.js';
import { testConfig } from './test-config.js';
import { uniqueName } from './unique-name.js';

/**
 * The environment of dispatchers and downloaders under test: the topics of an ingress under test (or a topic
 * prefix), a queue and consumer group of their own, `archiveDir`, and downloads allowed from the tests' artifact
 * server on 127.0.0.1 only, on its port only (`artifacts`; without it no local port is allowed).
 */
export function archiveFleetEnv(
  topics: IngressUnderTest | string,
  archiveDir: string,
  extra: Record<string, string> = {},
  artifacts?: { origin: string },
): Record<string, string> {
  return {
    TOPIC_PREFIX: typeof topics === 'string' ? topics : topics.topicPrefix,
    TOPIC_PARTITIONS: '3',
    ARCHIVE_QUEUE: uniqueName('archive'),
    ARCHIVE_DIR: archiveDir,
    DISPATCHER_GROUP_ID: uniqueName('dispatchers'),
    DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1',
    DOWNLOAD_ALLOW_HTTP: 'true',
    DOWNLOAD_ALLOWED_ADDRESSES: '127.0.0.1',
    ...(artifacts ? { DOWNLOAD_ALLOWED_PORTS: new URL(artifacts.origin).port } : {}),
    ...extra,
  };
}

/** Deletes a test's download queue and its parked queue from Redis. */
export async function dropArchiveQueues(archiveQueue: string | undefined): Promise<void> {
  if (!archiveQueue) return;
  const connection = createRedis(testConfig.redisUrl);
  try {
    await obliterateArchiveQueues(connection, archiveQueue);
  } finally {
    await connection.quit();
  }
}

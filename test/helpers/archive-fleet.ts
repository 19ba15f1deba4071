import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactServer } from '../../scripts/stand-ins/artifact-server.js';
import { createRedis, obliterateArchiveQueues } from '../../shared/src/index.js';
import { watchArchive, type ArchiveWatcher } from './archive-watcher.js';
import { startIngress, type IngressUnderTest } from './ingress-under-test.js';
import { spawnService, type RunningService } from './spawn-service.js';
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

/** An ingress, the tests' artifact server, and a spawned dispatcher and downloader on their own topics and queue. */
export interface ArchiveFleetUnderTest {
  server: ArtifactServer;
  ingress: IngressUnderTest;
  archiveDir: string;
  env: Record<string, string>;
  dispatcher: RunningService;
  /** Replaced by a test that restarts the downloader, so that `stop` stops the one running. */
  downloader: RunningService;
  /** Results on the fleet's archive topic. */
  archive: ArchiveWatcher;
  /** Stops what was started, drops the queues and deletes the archive folder. */
  stop(): Promise<void>;
}

/**
 * Starts the fleet of the end-to-end tests: artifact server, ingress, a fresh archive folder named after `name`,
 * dispatcher and downloader with `archiveFleetEnv(..., extra, server)`, and a watcher of the archive topic; resolves
 * once the dispatcher logged each of `dispatcherLogs` (default `consuming`) and the downloader `downloading`. What a
 * failed start had started is stopped before the error is thrown.
 */
export async function startArchiveFleet(
  name: string,
  options: { env?: Record<string, string>; dispatcherLogs?: string[]; ingress?: Parameters<typeof startIngress>[0] } = {},
): Promise<ArchiveFleetUnderTest> {
  const fleet: Partial<ArchiveFleetUnderTest> & Pick<ArchiveFleetUnderTest, 'stop'> = {
    async stop() {
      await fleet.archive?.stop();
      await Promise.all([fleet.dispatcher?.stop(), fleet.downloader?.stop()]);
      await fleet.ingress?.stop();
      await fleet.server?.close();
      await dropArchiveQueues(fleet.env?.ARCHIVE_QUEUE);
      if (fleet.archiveDir) await rm(fleet.archiveDir, { recursive: true, force: true });
    },
  };
  try {
    fleet.server = await new ArtifactServer().start();
    fleet.ingress = await startIngress(options.ingress);
    fleet.archiveDir = await mkdtemp(join(tmpdir(), `${name}-`));
    const env = archiveFleetEnv(fleet.ingress, fleet.archiveDir, options.env, fleet.server);
    fleet.env = env;
    const dispatcher = spawnService('dispatcher', env);
    const downloader = spawnService('downloader', env);
    Object.assign(fleet, { dispatcher, downloader });
    await Promise.all([
      ...(options.dispatcherLogs ?? ['consuming']).map((line) => dispatcher.waitForLog(line)),
      downloader.waitForLog('downloading'),
    ]);
    fleet.archive = await watchArchive(fleet.ingress.kafka, `${env.TOPIC_PREFIX}archive`, fleet.ingress.plainRegistry);
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet as ArchiveFleetUnderTest;
}

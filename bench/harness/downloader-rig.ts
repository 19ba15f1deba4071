import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, openArchiveQueues, topicNames, type ArchiveJobData } from '../../shared/src/index.js';
import type { BenchContext } from './bench-context.js';
import type { PinnedProcess } from './pinned-process.js';
import { obliterateQueues } from './queues.js';
import { startBenchProgram, startService } from './service-process.js';

/** A downloader under test on the subject CPU, fed by a queue of its own, and an artifact server on the load CPU. */
export interface DownloaderRig {
  prefix: string;
  queueName: string;
  archiveDir: string;
  redis: Redis;
  queue: Queue<ArchiveJobData>;
  server: PinnedProcess;
  /** The first (or only) downloader, on the subject CPU. */
  downloader: PinnedProcess;
  /** Every downloader of the rig, one per CPU it was asked for, all on the one queue. */
  downloaders: PinnedProcess[];
  /** Stops both processes and deletes the queue, the archive folder and the topics of the run. */
  tearDown(): Promise<void>;
}

/**
 * Starts the rig of a download scenario (`name` keeps its queue, topics and folder apart from other scenarios'):
 * the server first, so that the downloader allows exactly its port. One downloader on the subject CPU, or one per
 * CPU of `cpus` (replicas sharing the queue).
 */
export async function startDownloaderRig(
  ctx: BenchContext,
  options: { name: string; serverProgram: string; serverEnv: Record<string, string>; concurrency: number; cpus?: number[] },
): Promise<DownloaderRig> {
  const { settings, placement } = ctx;
  const prefix = `bench-${ctx.runId}-${options.name}.`;
  const queueName = `bench-${ctx.runId}-${options.name}`;
  const archiveDir = join(settings.workDir, `${options.name}-${ctx.runId}`);
  mkdirSync(archiveDir, { recursive: true });
  const redis = createRedis(ctx.redisUrl);
  const queues = openArchiveQueues(redis, queueName);
  const server = startBenchProgram(options.serverProgram, placement.loadCpu, options.serverEnv);
  let port: number;
  try {
    port = Number((await server.waitFor('listening')).port);
  } catch (error) {
    await server.stop();
    await queues.close();
    await redis.quit();
    throw error;
  }
  const startDownloader = (cpu: number) => startService(
    'downloader',
    cpu,
    {
      TOPIC_PREFIX: prefix,
      ARCHIVE_QUEUE: queueName,
      ARCHIVE_DIR: archiveDir,
      DOWNLOAD_CONCURRENCY: String(options.concurrency),
      DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1',
      DOWNLOAD_ALLOW_HTTP: 'true',
      DOWNLOAD_ALLOWED_ADDRESSES: '127.0.0.1',
      DOWNLOAD_ALLOWED_PORTS: String(port),
      DOWNLOADER_METRICS_PORT: '0',
      KAFKA_BROKERS: ctx.brokers.join(','),
      SCHEMA_REGISTRY_URL: ctx.registryUrl,
    },
    settings.launch,
  );
  const downloaders = (options.cpus ?? [placement.subjectCpu]).map(startDownloader);
  return {
    prefix,
    queueName,
    archiveDir,
    redis,
    queue: queues.archive,
    server,
    downloader: downloaders[0] as PinnedProcess,
    downloaders,
    async tearDown() {
      for (const downloader of downloaders) await downloader.stop();
      await server.stop();
      await queues.close();
      await obliterateQueues(redis, queueName).catch(() => undefined);
      await redis.quit();
      rmSync(archiveDir, { recursive: true, force: true });
      const admin = ctx.kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topicNames(prefix)) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

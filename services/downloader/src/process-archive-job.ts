import { mkdir } from 'node:fs/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import type avro from 'avsc';
import type { ArchiveJobData, Logger } from '../../../shared/src/index.js';
import { downloadDeadline } from './download/download-deadline.js';
import { DownloadError } from './download/download-error.js';
import { fetchToFile, type FetchOptions } from './download/fetch-to-file.js';
import { partialFile } from './download/partial-file.js';
import type { ResultPublisher } from './results/result-publisher.js';
import { archiveKey, checkIds, extensionOf } from './store/archive-path.js';
import type { ArchiveStore } from './store/archive-store.js';

/** What the job processor needs. */
export interface ProcessorDeps {
  store: ArchiveStore;
  publisher: ResultPublisher;
  jobType: avro.Type;
  /** The fetch options every job shares; each attempt's deadline comes from `totalTimeoutMs` and the link's expiry. */
  fetch: Omit<FetchOptions, 'logger' | 'onProgress' | 'deadline'> & { totalTimeoutMs: number };
  logger: Logger;
  /** Told of every attempt's start and outcome (metrics); nothing by default. */
  observer?: ArchiveObserver;
}

/** Hears what happens to download jobs, e.g. to count them. `kind` is the artifact kind, never a job id. */
export interface ArchiveObserver {
  /** An attempt starts; `headroomSeconds` is the time left before the link expires (null: no expiry). */
  started(kind: string, headroomSeconds: number | null): void;
  /** The artifact is archived and reported. */
  archived(kind: string, bytes: number, seconds: number, beforeExpiry: boolean): void;
  /** The artifact failed for good and is reported. */
  failed(kind: string, reason: string, seconds: number): void;
  /** The attempt failed and the job will be tried again. */
  retrying(kind: string, reason: string, seconds: number): void;
}

/** What a completed job returns (kept by BullMQ beside the job). */
export interface ArchiveJobResult {
  location: string;
  bytes: number;
  sha256: string;
}

/**
 * Processes one download job: refuses an expired link, fetches into `.partial/<jobId>` (resuming what an earlier
 * attempt left), moves the complete file into the archive, and reports it. A failure that trying again cannot
 * fix, or the last attempt, is reported as failed and ends the job; anything else is thrown for BullMQ to retry.
 */
export async function processArchiveJob(job: Job<ArchiveJobData>, deps: ProcessorDeps): Promise<ArchiveJobResult> {
  const data = job.data;
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  const logger = deps.logger.child({ jobId: job.id, kind: data?.artifact?.kind, attempt });

  if (!deps.jobType.isValid(data)) {
    // Not retried: a job that does not fit its schema never will. Reported only if it names an artifact.
    deps.observer?.failed('unknown', 'INVALID_JOB', 0);
    throw new UnrecoverableError('INVALID_JOB: the job data does not fit io.dytebridge.dyte.ArchiveJob');
  }
  // The job id names a file: it goes through the same sanitizing as every payload value.
  const startedAt = Date.now();
  const seconds = () => (Date.now() - startedAt) / 1000;
  const kind = data.artifact.kind;
  deps.observer?.started(kind, data.expiresAt === null ? null : (data.expiresAt / 1000 - startedAt) / 1000);
  const partial = partialFile(deps.store.partialDir, data.artifact.jobId);
  const fail = async (error: DownloadError) => {
    logger.warn('archive failed for good', { reason: error.code, message: error.message });
    await deps.publisher.failed({ artifact: data.artifact, reason: error.code, message: error.message, attempts: attempt });
    deps.observer?.failed(kind, error.code, seconds());
    await partial.discard();
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  };
  const expired = () => data.expiresAt !== null && Date.now() * 1000 >= data.expiresAt;

  if (expired()) {
    return fail(new DownloadError('EXPIRED', `the link expired at ${new Date(Number(data.expiresAt) / 1000).toISOString()} before it could be fetched`, false));
  }
  try {
    checkIds(data.artifact);
    await mkdir(deps.store.partialDir, { recursive: true });
    const fetched = await fetchToFile(data.url, partial, {
      ...deps.fetch,
      deadline: downloadDeadline(startedAt, deps.fetch.totalTimeoutMs, data.expiresAt),
      logger,
      onProgress: (bytes, total) => void job.updateProgress({ bytes, total }).catch(() => undefined),
    });
    if (fetched.resumedFrom > 0) logger.info('resumed an interrupted download', { resumedFrom: fetched.resumedFrom });
    const key = archiveKey(data.artifact, extensionOf(data.artifact.kind, fetched.finalPath, fetched.contentType));
    const location = await deps.store.put(key, partial.path, fetched);
    await partial.discard();
    await deps.publisher.archived({
      artifact: data.artifact,
      location,
      bytes: fetched.bytes,
      sha256: fetched.sha256,
      contentType: fetched.contentType,
      tookMs: Date.now() - job.timestamp,
      attempts: attempt,
    });
    deps.observer?.archived(kind, fetched.bytes, seconds(), data.expiresAt === null || Date.now() * 1000 < data.expiresAt);
    logger.info('archived', { location, bytes: fetched.bytes, sha256: fetched.sha256 });
    return { location, bytes: fetched.bytes, sha256: fetched.sha256 };
  } catch (error) {
    if (error instanceof UnrecoverableError) throw error;
    const download =
      error instanceof DownloadError ? error : new DownloadError('STORE', `archiving failed: ${(error as Error).message}`, true, error);
    // A presigned link answers 403 once it has expired: report that as what it is.
    if (expired()) return fail(new DownloadError('EXPIRED', `the link expired before it could be fetched (${download.message})`, false));
    if (!download.retriable || attempt >= maxAttempts) return fail(download);
    deps.observer?.retrying(kind, download.code, seconds());
    logger.warn('attempt failed; will retry', { reason: download.code, message: download.message, attemptsLeft: maxAttempts - attempt });
    throw download;
  }
}

/**
 * BullMQ's backoff for download jobs: exponential from 1 s up to 5 min, but never past the link's expiry, so the
 * last retries still happen while the link works.
 */
export function deadlineBackoff(attemptsMade: number, job?: Job<ArchiveJobData>): number {
  const delay = Math.min(300_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
  const expiresAt = job?.data?.expiresAt;
  if (expiresAt === null || expiresAt === undefined) return delay;
  const left = expiresAt / 1000 - Date.now() - 1000;
  return Math.max(0, Math.min(delay, left));
}

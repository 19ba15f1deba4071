import { mkdir } from 'node:fs/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import type avro from 'avsc';
import { ProviderError, untracedTracing, type ArchivedFile, type ArchiveJobData, type ExpiryPriorities, type Logger, type ProviderClient, type TraceSpan, type Tracing } from '../../../shared/src/index.js';
import { downloadDeadline } from './download/download-deadline.js';
import { DownloadError } from './download/download-error.js';
import { fetchToFile, type FetchedFile, type FetchOptions } from './download/fetch-to-file.js';
import { partialFile, type PartialFile } from './download/partial-file.js';
import { ExpiredLinkError } from './refresh/expired-link-error.js';
import { askFreshLink } from './refresh/fresh-link.js';
import { expectedRate, triggerAfterFailure, triggerBeforeFetch, type JobLink, type RefreshTrigger } from './refresh/refresh-trigger.js';
import { sameObject } from './refresh/same-object.js';
import type { TransferRate } from './refresh/transfer-rate.js';
import type { ResultPublisher } from './results/result-publisher.js';
import { archiveKey, checkIds, extensionOf } from './store/archive-path.js';
import type { ArchiveStore } from './store/archive-store.js';
import { NOT_STREAMED, type StreamOutcome, type StreamPublisher } from './streams/stream-publisher.js';

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
  /** The provider API that gives fresh links; undefined: off, an expired link ends as EXPIRED (NO_PROVIDER_API). */
  provider?: ProviderClient;
  /** The rate this downloader's transfers lately had, to judge whether a link lasts a download; fed here. */
  transferRate?: TransferRate;
  /** Publishes an archived chat's, transcript's or summary's content (docs/adr/0014); undefined: nothing is. */
  streams?: StreamPublisher;
  /** Each attempt is a span continuing the job's trace (its `traceparent`); an untraced Tracing by default. */
  tracing?: Tracing;
  /** Re-prices a job whose link was replaced, so that a retry waits by the fresh link's expiry (docs/adr/0017). */
  priorities?: Pick<ExpiryPriorities, 'reprioritize'>;
}

/** What became of asking the provider for a fresh link. */
export type RefreshOutcome = 'refreshed' | 'not_held' | 'not_askable' | 'retriable_error' | 'final_error';

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
  /** A fresh link was asked of the provider API, for `trigger`, with `outcome`. */
  linkRefreshed(kind: string, trigger: RefreshTrigger, outcome: RefreshOutcome): void;
}

// Fresh links one attempt may ask for: a provider whose links keep failing cannot hold an attempt in a loop.
const MAX_REFRESHES_PER_ATTEMPT = 5;

/** What a completed job returns (kept by BullMQ beside the job). */
export interface ArchiveJobResult extends StreamOutcome {
  location: string;
  bytes: number;
  sha256: string;
}

/**
 * Processes one download job: fetches into `.partial/<jobId>` (resuming what an earlier attempt left), moves the
 * complete file into the archive, and reports it. An expired link is refused before fetching, unless the provider
 * API is configured: then a link that has expired, will expire before the download can finish, expires mid-download
 * or is refused with 403 is replaced by a fresh one (saved in the job data, so a retry uses it too), and the download
 * goes on. A failure that trying again cannot fix, or the last attempt, is reported as failed and ends the job;
 * anything else is thrown for BullMQ to retry.
 */
export async function processArchiveJob(job: Job<ArchiveJobData>, deps: ProcessorDeps): Promise<ArchiveJobResult> {
  const span = (deps.tracing ?? untracedTracing()).startSpan('archive artifact', {
    parent: job.data?.traceparent,
    kind: 'consumer',
    attributes: { 'messaging.system': 'bullmq', 'messaging.message.id': String(job.id), 'dyte_bridge.attempt': job.attemptsMade + 1 },
  });
  try {
    const result = await processTraced(job, deps, span);
    span.end();
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}

/** One attempt at a job, in `span`: every log line carries its trace ids, and the result record its traceparent. */
async function processTraced(job: Job<ArchiveJobData>, deps: ProcessorDeps, span: TraceSpan): Promise<ArchiveJobResult> {
  const data = job.data;
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  const logger = deps.logger.child({ ...span.logFields, jobId: job.id, kind: data?.artifact?.kind, attempt });
  const traceparent = span.traceparent;

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
  const link: LinkState = { url: data.url, expiresAt: data.expiresAt, freshThisAttempt: false, refreshes: data.linkRefreshes ?? 0, thisAttempt: 0 };
  const fail = async (error: DownloadError) => {
    const expiredBecause = error instanceof ExpiredLinkError ? error.expiredBecause : null;
    logger.warn('archive failed for good', { reason: error.code, message: error.message, ...(expiredBecause ? { expiredBecause } : {}) });
    await deps.publisher.failed({ artifact: data.artifact, reason: error.code, message: error.message, attempts: attempt, linkRefreshes: link.refreshes, expiredBecause, traceparent });
    deps.observer?.failed(kind, error.code, seconds());
    await partial.discard();
    // BullMQ keeps this as the job's failedReason, which `dyte-bridge archive status` shows.
    throw new UnrecoverableError(`${error.code}${expiredBecause ? ` (${expiredBecause})` : ''}: ${error.message}`);
  };
  const expired = () => link.expiresAt !== null && Date.now() * 1000 >= link.expiresAt;
  const provider = deps.provider;

  // A file already stored (a job retried, or taken over after a crash, while publishing its content) needs no link.
  const stored = data.stored ?? null;
  if (!provider && expired() && !stored) {
    return fail(new ExpiredLinkError(`the link expired at ${new Date(Number(data.expiresAt) / 1000).toISOString()} before it could be fetched`, 'NO_PROVIDER_API', false));
  }
  /** Publishes the stored file's content (when its kind is streamed), then reports it archived. */
  const finish = async (file: ArchivedFile): Promise<ArchiveJobResult> => {
    const streamed = deps.streams?.streams(kind) ? await deps.streams.publish(job, file, { logger, lastAttempt: attempt >= maxAttempts, traceparent }) : NOT_STREAMED;
    await deps.publisher.archived({
      artifact: data.artifact,
      ...file,
      tookMs: Date.now() - job.timestamp,
      attempts: attempt,
      linkRefreshes: link.refreshes,
      traceparent,
      ...streamed,
    });
    deps.observer?.archived(kind, file.bytes, seconds(), link.expiresAt === null || Date.now() * 1000 < link.expiresAt);
    logger.info('archived', { location: file.location, bytes: file.bytes, sha256: file.sha256, linkRefreshes: link.refreshes, stream: streamed.stream });
    // BullMQ keeps this as the job's return value: `dyte-bridge archive status` shows it.
    return { location: file.location, bytes: file.bytes, sha256: file.sha256, ...streamed };
  };
  try {
    if (stored) return await finish(stored);
    checkIds(data.artifact);
    await mkdir(deps.store.partialDir, { recursive: true });
    const refresh = provider ? (trigger: RefreshTrigger) => refreshLink(trigger, { job, link, partial, provider, observer: deps.observer, logger, priorities: deps.priorities }) : undefined;
    if (refresh) {
      const rate = expectedRate(deps.transferRate?.bytesPerSecond(), deps.fetch.minRate.bytesPerSecond);
      const trigger = triggerBeforeFetch(link, Date.now(), data.expectedBytes, rate);
      if (trigger) await refresh(trigger);
    }
    let fetched: FetchedFile;
    for (;;) {
      const fetchStartedAt = Date.now();
      try {
        fetched = await fetchToFile(link.url, partial, {
          ...deps.fetch,
          deadline: downloadDeadline(startedAt, deps.fetch.totalTimeoutMs, link.expiresAt, refresh !== undefined),
          logger,
          onProgress: (bytes, total) => void job.updateProgress({ bytes, total }).catch(() => undefined),
        });
      } catch (error) {
        const trigger = refresh && error instanceof DownloadError ? triggerAfterFailure(error, link, Date.now()) : undefined;
        if (!refresh || !trigger) throw error;
        logger.info('the link failed; asking the provider API for a fresh one', { trigger, reason: (error as DownloadError).code });
        await refresh(trigger);
        continue;
      }
      deps.transferRate?.observe(fetched.bytes - fetched.resumedFrom, Date.now() - fetchStartedAt);
      break;
    }
    if (fetched.resumedFrom > 0) logger.info('resumed an interrupted download', { resumedFrom: fetched.resumedFrom });
    const key = archiveKey(data.artifact, extensionOf(data.artifact.kind, fetched.finalPath, fetched.contentType));
    const location = await deps.store.put(key, partial.path, fetched);
    await partial.discard();
    const file: ArchivedFile = { location, bytes: fetched.bytes, sha256: fetched.sha256, contentType: fetched.contentType };
    // Saved before publishing: a crash or a Kafka fault while publishing goes on from the stored file, not the link.
    if (deps.streams?.streams(kind)) await job.updateData({ ...job.data, stored: file });
    return await finish(file);
  } catch (error) {
    if (error instanceof UnrecoverableError) throw error;
    const download =
      error instanceof DownloadError ? error : new DownloadError('STORE', `archiving failed: ${(error as Error).message}`, true, error);
    // A presigned link answers 403 once it has expired: report that as what it is. (With a provider API, an expired
    // link was already refreshed, or the refresh said why not.)
    if (!provider && !job.data.stored && (expired() || download.code === 'EXPIRED') && !(download instanceof ExpiredLinkError)) {
      const message = download.code === 'EXPIRED' ? download.message : `the link expired before it could be fetched (${download.message})`;
      return fail(new ExpiredLinkError(message, 'NO_PROVIDER_API', false));
    }
    if (!download.retriable || attempt >= maxAttempts) return fail(download);
    deps.observer?.retrying(kind, download.code, seconds());
    const expiredBecause = download instanceof ExpiredLinkError ? { expiredBecause: download.expiredBecause } : {};
    logger.warn('attempt failed; will retry', { reason: download.code, ...expiredBecause, message: download.message, attemptsLeft: maxAttempts - attempt });
    throw download;
  }
}

/** The job's current link, and the fresh links it has had (in all, and in this attempt). */
interface LinkState extends JobLink {
  refreshes: number;
  thisAttempt: number;
}

/**
 * Replaces `link` with a fresh one from the provider, saves it in the job data (a retry starts from it), and counts
 * it. The bytes kept are resumed when the fresh link points at the same object, discarded when not. Throws an
 * ExpiredLinkError saying why when there is no fresh link: retriable for a provider error that is (throttled,
 * unavailable), final otherwise.
 */
async function refreshLink(
  trigger: RefreshTrigger,
  context: {
    job: Job<ArchiveJobData>;
    link: LinkState;
    partial: PartialFile;
    provider: ProviderClient;
    observer: ArchiveObserver | undefined;
    logger: Logger;
    priorities: ProcessorDeps['priorities'];
  },
): Promise<void> {
  const { job, link, observer, logger } = context;
  const kind = job.data.artifact.kind;
  if (link.thisAttempt >= MAX_REFRESHES_PER_ATTEMPT) {
    throw new ExpiredLinkError(`${MAX_REFRESHES_PER_ATTEMPT} fresh links in one attempt did not do (last: ${trigger}); the next attempt asks again`, 'REFRESH_LIMIT', true);
  }
  link.thisAttempt++;
  let answer: Awaited<ReturnType<typeof askFreshLink>>;
  try {
    answer = await askFreshLink(context.provider, job.data.artifact);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    observer?.linkRefreshed(kind, trigger, error.retriable ? 'retriable_error' : 'final_error');
    throw new ExpiredLinkError(`the link needs replacing (${trigger}) and the provider API failed: ${error.message}`, error.code, error.retriable, error);
  }
  if (!answer.held) {
    observer?.linkRefreshed(kind, trigger, answer.because === 'NOT_HELD' ? 'not_held' : 'not_askable');
    throw new ExpiredLinkError(`the link needs replacing (${trigger}) and the provider API has none: ${answer.message}`, answer.because, false);
  }
  const same = sameObject(link.url, answer.url);
  if (!same) await context.partial.discard();
  Object.assign(link, { url: answer.url, expiresAt: answer.expiresAt, freshThisAttempt: true, refreshes: link.refreshes + 1 });
  observer?.linkRefreshed(kind, trigger, 'refreshed');
  logger.info('link refreshed', {
    trigger,
    linkRefreshes: link.refreshes,
    expiresAt: link.expiresAt === null ? null : new Date(link.expiresAt / 1000).toISOString(),
    // The bytes kept are resumed (If-Range guards them) only when the fresh link names the same object.
    sameObject: same,
  });
  // Saved so that a retry, or another downloader taking the job over, starts from the fresh link.
  const saved = await job.updateData({ ...job.data, url: link.url, expiresAt: link.expiresAt, linkRefreshes: link.refreshes }).then(
    () => true,
    (error: unknown) => void logger.warn('could not save the fresh link in the job; a retry asks again', { error }),
  );
  // The job is active: this sets the priority it comes back with, should it be retried.
  if (saved) await context.priorities?.reprioritize([job.data.artifact.jobId]).catch((error: unknown) => logger.warn('could not re-price the job by its fresh link', { error }));
}

/**
 * BullMQ's backoff for download jobs: exponential from 1 s up to 5 min, but never past the link's expiry, so the
 * last retries still happen while the link works. With a provider API (`refreshable`) the expiry is no limit: the
 * retry asks for a fresh link; nor for a job whose file is stored (a retry publishes its content, docs/adr/0014).
 */
export function deadlineBackoff(attemptsMade: number, job?: Job<ArchiveJobData>, refreshable = false): number {
  const delay = Math.min(300_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
  const expiresAt = job?.data?.expiresAt;
  // A stored file (its content being published) needs no link: its retries back off in full, expiry or not.
  if (refreshable || job?.data?.stored || expiresAt === null || expiresAt === undefined) return delay;
  const left = expiresAt / 1000 - Date.now() - 1000;
  return Math.max(0, Math.min(delay, left));
}

import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  registerProviderRequestMetrics,
  registerQueueMetrics,
  type ArtifactKind,
  type Logger,
  type ObservedQueue,
  type ProviderRequestEvent,
} from '../../../shared/src/index.js';
import type { ArchiveObserver } from './process-archive-job.js';
import type { StreamObserver } from './streams/stream-publisher.js';

/** The downloader's Prometheus metrics, on their own registry. */
export interface DownloaderMetrics {
  registry: Registry;
  /** Feeds the counters and histograms from the job processor. */
  observer: ArchiveObserver;
  /** Feeds the counters of published content (records, rejected rows, files). */
  streams: StreamObserver;
  /** The provider client's `onRequest` hook: counts each provider API request. */
  providerRequest(event: ProviderRequestEvent): void;
}

const HOUR = 3600;
const STREAMED_KINDS = ['chat', 'transcript', 'summary'] as const;
const KINDS = ['chat', 'transcript', 'summary', 'recording', 'recording_audio'] as const satisfies readonly ArtifactKind[];

/**
 * Creates the metrics with the process's default metrics. The share archived before expiry is
 * `archived_before_expiry_total / (archived_total + (failed_total or vector(0)))`; labels are the artifact kind and the failure
 * reason only (never a job id), so the number of series stays small.
 */
export function createDownloaderMetrics(sources: { queues: { archive: ObservedQueue; parked: ObservedQueue }; logger: Logger }): DownloaderMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerQueueMetrics(registry, { ...sources.queues, logger: sources.logger });
  const headroomAtStart = new Histogram({
    name: 'dyte_downloader_headroom_at_start_seconds',
    help: "Seconds left before the link expires when a download attempt starts (jobs with an expiry; <= 0: expired)",
    labelNames: ['kind'],
    buckets: [0, 60, 300, 900, 1800, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 7 * 24 * HOUR],
    registers: [registry],
  });
  const archived = new Counter({
    name: 'dyte_downloader_archived_total',
    help: 'Artifacts archived and reported, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const archivedBeforeExpiry = new Counter({
    name: 'dyte_downloader_archived_before_expiry_total',
    help: 'Artifacts archived before their link expired (or whose link has no expiry), by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'dyte_downloader_failed_total',
    help: 'Artifacts that failed for good and were reported, by kind and reason (EXPIRED, HTTP_<status>, TOO_LARGE, ...)',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'dyte_downloader_archived_bytes_total',
    help: 'Bytes of the artifacts archived, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const downloadSeconds = new Histogram({
    name: 'dyte_downloader_download_seconds',
    help: 'Time of one download attempt (fetch and store), by kind and outcome (archived, failed, retry)',
    labelNames: ['kind', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, HOUR],
    registers: [registry],
  });
  const linkRefreshes = new Counter({
    name: 'dyte_downloader_link_refreshes_total',
    help: 'Fresh links asked of the provider API, by kind, trigger (expired, expiring, mid_download, refused) and outcome (refreshed, not_held, not_askable, retriable_error, final_error)',
    labelNames: ['kind', 'trigger', 'outcome'],
    registers: [registry],
  });
  const streamRecords = new Counter({
    name: 'dyte_downloader_stream_records_total',
    help: 'Records published from archived files (chat messages, transcript segments, summaries) and acknowledged, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const streamRejected = new Counter({
    name: 'dyte_downloader_stream_rows_rejected_total',
    help: 'Rows of archived files not published because they are malformed (each logged with its line and reason), by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const streamFiles = new Counter({
    name: 'dyte_downloader_stream_files_total',
    help: 'Archived files whose content was published, by kind and outcome (COMPLETE, UNPARSEABLE, INCOMPLETE)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  for (const kind of STREAMED_KINDS) {
    for (const counter of [streamRecords, streamRejected]) counter.inc({ kind }, 0);
  }
  // Known kinds start at 0, so rates and ratios have a series before the first artifact of a kind.
  for (const kind of KINDS) {
    for (const counter of [archived, archivedBeforeExpiry, bytes]) counter.inc({ kind }, 0);
  }
  const providerRequest = registerProviderRequestMetrics(registry);
  return {
    registry,
    providerRequest,
    streams: {
      published: (kind, records) => streamRecords.inc({ kind }, records),
      rejected: (kind) => streamRejected.inc({ kind }),
      finished: (kind, outcome) => streamFiles.inc({ kind, outcome }),
    },
    observer: {
      started(kind, headroomSeconds) {
        if (headroomSeconds !== null) headroomAtStart.observe({ kind }, headroomSeconds);
      },
      archived(kind, size, seconds, beforeExpiry) {
        archived.inc({ kind });
        if (beforeExpiry) archivedBeforeExpiry.inc({ kind });
        bytes.inc({ kind }, size);
        downloadSeconds.observe({ kind, outcome: 'archived' }, seconds);
      },
      failed(kind, reason, seconds) {
        failed.inc({ kind, reason });
        downloadSeconds.observe({ kind, outcome: 'failed' }, seconds);
      },
      retrying(kind, _reason, seconds) {
        downloadSeconds.observe({ kind, outcome: 'retry' }, seconds);
      },
      linkRefreshed(kind, trigger, outcome) {
        linkRefreshes.inc({ kind, trigger, outcome });
      },
    },
  };
}

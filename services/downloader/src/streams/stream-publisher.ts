import type { Job } from 'bullmq';
import type { Producer } from 'kafkajs';
import {
  KAFKA_HEADERS,
  type ArchivedFile,
  type ArchiveJobData,
  type EventEncoder,
  type Logger,
  type StreamProgress,
  type Topics,
} from '../../../../shared/src/index.js';
import { DownloadError } from '../download/download-error.js';
import type { ArchiveStore } from '../store/archive-store.js';
import { artifactRecords, type StreamedKind } from './artifact-records.js';
import { UnparseableFileError } from './unparseable-file-error.js';

/** Which kinds are published, and the bounds of what is. */
export interface StreamSettings {
  /** On/off per kind (STREAM_CHAT, STREAM_TRANSCRIPT, STREAM_SUMMARY). */
  kinds: Record<StreamedKind, boolean>;
  /** Largest summary text carried, in UTF-8 bytes; a longer one is cut and points at the archived file. */
  summaryMaxBytes: number;
  /** Records per produce request (and per progress save). */
  batchRecords: number;
  /** Largest encoded record; a row over it is rejected (the broker would refuse it, and every retry with it). */
  maxRecordBytes: number;
}

/** What became of publishing a file's content: the stream fields of ArtifactArchived. */
export interface StreamOutcome {
  stream: 'NOT_STREAMED' | 'COMPLETE' | 'UNPARSEABLE' | 'INCOMPLETE';
  streamedRecords: number;
  rejectedRows: number;
  streamProblem: string | null;
}

/** Hears what the publisher does (metrics). */
export interface StreamObserver {
  published(kind: StreamedKind, records: number): void;
  rejected(kind: StreamedKind): void;
  finished(kind: StreamedKind, outcome: StreamOutcome['stream']): void;
}

/** Publishes an archived file's content on the chat and transcript topics. */
export interface StreamPublisher {
  /** True when `kind`'s content is published (a streamed kind, turned on). */
  streams(kind: string): kind is StreamedKind;
  /**
   * Reads the stored file back from the archive and publishes its records, keyed by session id, from the line after
   * the job's saved progress; saves the progress in the job after every acknowledged batch. A Kafka or store fault
   * throws a retriable DownloadError (STREAM), unless `lastAttempt`: then the outcome is INCOMPLETE.
   */
  publish(job: Job<ArchiveJobData>, stored: ArchivedFile, attempt: PublishAttempt): Promise<StreamOutcome>;
}

/** The job attempt that publishes. */
export interface PublishAttempt {
  logger: Logger;
  /** No attempt follows this one: a fault ends the stream INCOMPLETE instead of throwing. */
  lastAttempt: boolean;
  /** The attempt's span, put on every record's `traceparent` header (as on its ArtifactArchived record). */
  traceparent: string;
}

/** Above this many encoded bytes a batch is sent, whatever its count: well under the broker's 1 MB default. */
const BATCH_BYTES = 512 * 1024;

/** The outcome of a kind that is not published. */
export const NOT_STREAMED: StreamOutcome = { stream: 'NOT_STREAMED', streamedRecords: 0, rejectedRows: 0, streamProblem: null };

/** A publisher over a connected producer and an encoder with the stream records registered (streamSchemaPairs). */
export function streamPublisher(deps: {
  producer: Producer;
  encoder: EventEncoder;
  topics: Topics;
  store: ArchiveStore;
  settings: StreamSettings;
  observer?: StreamObserver;
}): StreamPublisher {
  const { producer, encoder, topics, store, settings, observer } = deps;
  return {
    streams: (kind): kind is StreamedKind => Object.hasOwn(settings.kinds, kind) && settings.kinds[kind as StreamedKind],
    async publish(job, stored, { logger, lastAttempt, traceparent }) {
      const artifact = job.data.artifact;
      const kind = artifact.kind as StreamedKind;
      const topic = kind === 'chat' ? topics.chat : topics.transcript;
      // A session's lines on one partition, in order; without a session id, the artifact's own lines still are.
      const key = artifact.sessionId ?? artifact.jobId;
      const saved: StreamProgress = job.data.streamProgress ?? { line: 0, records: 0, rejected: 0 };
      let progress = { ...saved };
      let batch: { key: string; value: Buffer; headers: Record<string, string> }[] = [];
      let batchBytes = 0;
      const pending = { line: saved.line, records: saved.records, rejected: saved.rejected };
      const flush = async () => {
        if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });
        const sent = batch.length;
        batch = [];
        batchBytes = 0;
        if (pending.line === progress.line) return;
        progress = { ...pending };
        // Saved only once the broker acknowledged the batch: a restart sends again at most the batch after this point.
        await job.updateData({ ...job.data, streamProgress: progress });
        if (sent > 0) observer?.published(kind, sent);
      };
      const reject = (line: number, reason: string) => {
        pending.rejected++;
        pending.line = line;
        observer?.rejected(kind);
        logger.warn('row rejected', { line, reason });
      };
      const startedAt = Date.now();
      const finish = (outcome: StreamOutcome) => {
        observer?.finished(kind, outcome.stream);
        logger.info('stream published', { ...outcome, topic, resumedAfterLine: saved.line, tookMs: Date.now() - startedAt });
        return outcome;
      };
      if (saved.line > 0) logger.info('stream resumed', { afterLine: saved.line, records: saved.records });
      try {
        const chunks = store.read(stored.location);
        for await (const item of artifactRecords(kind, artifact, stored, chunks, settings.summaryMaxBytes)) {
          // Lines up to the saved progress are on Kafka already (or were rejected and counted).
          if (item.line <= saved.line) continue;
          if (item.rejected !== undefined) {
            reject(item.line, item.rejected);
            continue;
          }
          const value = encoder.encode(topic, item.recordName, item.value);
          if (value.length > settings.maxRecordBytes) {
            reject(item.line, `the record is ${value.length} bytes, over STREAM_MAX_RECORD_BYTES (${settings.maxRecordBytes})`);
            continue;
          }
          batch.push({
            key,
            value,
            headers: {
              [KAFKA_HEADERS.recordName.name]: item.recordName,
              [KAFKA_HEADERS.eventType.name]: item.recordName.split('.').at(-1) ?? item.recordName,
              [KAFKA_HEADERS.jobId.name]: artifact.jobId,
              [KAFKA_HEADERS.recordId.name]: `${artifact.jobId}:${item.line}`,
              [KAFKA_HEADERS.traceparent.name]: traceparent,
            },
          });
          batchBytes += value.length;
          pending.records++;
          pending.line = item.line;
          if (batch.length >= settings.batchRecords || batchBytes >= BATCH_BYTES) await flush();
        }
        await flush();
        return finish({ stream: 'COMPLETE', streamedRecords: progress.records, rejectedRows: progress.rejected, streamProblem: null });
      } catch (error) {
        if (error instanceof UnparseableFileError) {
          // What came before the fault is published; the file stays archived and is never retried for it.
          await flush();
          logger.warn('file unparseable: archived, its content not (all) published', { problem: error.message });
          return finish({ stream: 'UNPARSEABLE', streamedRecords: progress.records, rejectedRows: progress.rejected, streamProblem: error.message });
        }
        const message = `publishing the archived file's content failed after line ${progress.line}: ${(error as Error).message}`;
        if (lastAttempt) {
          logger.error('stream incomplete: no attempt left', { message });
          return finish({ stream: 'INCOMPLETE', streamedRecords: progress.records, rejectedRows: progress.rejected, streamProblem: message });
        }
        throw new DownloadError('STREAM', message, true, error);
      }
    },
  };
}

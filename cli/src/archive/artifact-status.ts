import type { Job } from 'bullmq';
import type { ArchiveJobData, ArtifactArchived } from '../../../shared/src/index.js';

/** Where one artifact of a meeting stands, from its download job. */
export interface ArtifactStatus {
  jobId: string;
  kind: string;
  sessionId: string | null;
  recordingId: string | null;
  /** archived; failed (for good); downloading; retrying (waiting for its next attempt); pending (not started). */
  state: 'archived' | 'failed' | 'downloading' | 'retrying' | 'pending' | 'unknown';
  attempts: number;
  /** Fresh links the provider API gave the job (its link expired, was about to, or was refused). */
  linkRefreshes: number;
  expiresAt: string | null;
  /** Seconds left before the link expires (negative once it has), for jobs not finished. */
  secondsLeft: number | null;
  location?: string;
  bytes?: number;
  sha256?: string;
  archivedAt?: string;
  reason?: string;
  /** A chat, transcript or summary archived: how its content went onto dyte.chat / dyte.transcript. */
  stream?: { state: string; records: number; rejectedRows: number; problem: string | null };
  /** A streamed file not finished yet: the last line whose records Kafka acknowledged, and the counts so far. */
  streamProgress?: { line: number; records: number; rejectedRows: number };
}

const STATES: Record<string, ArtifactStatus['state']> = {
  completed: 'archived',
  failed: 'failed',
  active: 'downloading',
  delayed: 'retrying',
  waiting: 'pending',
  prioritized: 'pending',
  'waiting-children': 'pending',
};

/** The status of an artifact from its job and the job's BullMQ state, as of `nowMs`. */
export function artifactStatus(job: Job<ArchiveJobData>, jobState: string, nowMs: number): ArtifactStatus {
  const data = job.data;
  const state = STATES[jobState] ?? 'unknown';
  const expiresAtMs = typeof data.expiresAt === 'number' ? data.expiresAt / 1000 : null;
  const status: ArtifactStatus = {
    jobId: String(job.id),
    kind: data.artifact.kind,
    sessionId: data.artifact.sessionId,
    recordingId: data.artifact.recordingId,
    state,
    attempts: job.attemptsMade,
    linkRefreshes: data.linkRefreshes ?? 0,
    expiresAt: expiresAtMs === null ? null : new Date(expiresAtMs).toISOString(),
    secondsLeft: expiresAtMs === null || state === 'archived' || state === 'failed' ? null : Math.floor((expiresAtMs - nowMs) / 1000),
  };
  if (state === 'archived') {
    // The downloader returns the file and stream fields of the ArtifactArchived record it published.
    const result = (job.returnvalue ?? {}) as Partial<Pick<ArtifactArchived, 'location' | 'bytes' | 'sha256' | 'stream' | 'streamedRecords' | 'rejectedRows' | 'streamProblem'>>;
    Object.assign(status, { location: result.location, bytes: result.bytes, sha256: result.sha256 });
    if (job.finishedOn) status.archivedAt = new Date(job.finishedOn).toISOString();
    // Jobs archived before streams were reported carry no stream fields.
    if (result.stream !== undefined && result.stream !== 'NOT_STREAMED') {
      status.stream = { state: result.stream, records: result.streamedRecords ?? 0, rejectedRows: result.rejectedRows ?? 0, problem: result.streamProblem ?? null };
    }
  } else if (state !== 'failed' && data.streamProgress) {
    status.streamProgress = { line: data.streamProgress.line, records: data.streamProgress.records, rejectedRows: data.streamProgress.rejected };
  }
  if (state === 'failed' || (state === 'retrying' && job.failedReason)) status.reason = job.failedReason;
  return status;
}

/** "6d 23h", "2h 5m", "45s", or "expired 3m ago". */
export function formatSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  const parts =
    abs >= 86_400 ? [`${Math.floor(abs / 86_400)}d`, `${Math.floor((abs % 86_400) / 3600)}h`]
    : abs >= 3600 ? [`${Math.floor(abs / 3600)}h`, `${Math.floor((abs % 3600) / 60)}m`]
    : abs >= 60 ? [`${Math.floor(abs / 60)}m`, `${abs % 60}s`]
    : [`${abs}s`];
  return seconds < 0 ? `expired ${parts.join(' ')} ago` : `${parts.join(' ')} left`;
}

/** One line of text for an artifact. */
export function describe(status: ArtifactStatus): string {
  const head = `${status.state.padEnd(11)} ${status.kind.padEnd(15)} ${status.jobId}`;
  const refreshed = status.linkRefreshes > 0 ? `  link refreshed ${status.linkRefreshes}x` : '';
  switch (status.state) {
    case 'archived': {
      // The problem (it may quote the file's bytes) is in --json, not on the line.
      const stream = status.stream
        ? `  stream ${status.stream.state}: ${status.stream.records} record(s), ${status.stream.rejectedRows} row(s) rejected${status.stream.problem ? ' (problem in --json)' : ''}`
        : '';
      return `${head}  ${status.location ?? '?'}  ${status.bytes ?? '?'} bytes  sha256 ${status.sha256 ?? '?'}  at ${status.archivedAt ?? '?'}${stream}${refreshed}`;
    }
    case 'failed':
      return `${head}  ${status.reason ?? 'no reason recorded'}  (after ${status.attempts} attempt(s))${refreshed}`;
    default: {
      const left = status.secondsLeft === null ? 'link never expires' : `${formatSeconds(status.secondsLeft)} (expires ${status.expiresAt})`;
      const retry = status.reason ? `; last error: ${status.reason}` : '';
      // The file is stored already: what remains is publishing its content.
      const publishing = status.streamProgress
        ? `  stored, publishing its content: ${status.streamProgress.records} record(s) up to line ${status.streamProgress.line}, ${status.streamProgress.rejectedRows} rejected`
        : '';
      return `${head}  ${left}  attempts ${status.attempts}${retry}${refreshed}${publishing}`;
    }
  }
}

import { DownloadError } from './download-error.js';

/** When a download attempt must be over, and which limit set that time. */
export interface DownloadDeadline {
  /** Milliseconds since the epoch. */
  at: number;
  /** `expiry`: the link stops working then; `timeout`: DOWNLOAD_TOTAL_TIMEOUT_MS from the attempt's start. */
  bound: 'expiry' | 'timeout';
}

/**
 * The deadline of an attempt that starts at `startedAtMs`: DOWNLOAD_TOTAL_TIMEOUT_MS later, but never past the
 * link's expiry (`expiresAtMicros`, null when the event gave none). The one place that decides it, so that a
 * refreshed link can later move the expiry bound here and nowhere else.
 */
export function downloadDeadline(startedAtMs: number, totalTimeoutMs: number, expiresAtMicros: number | null): DownloadDeadline {
  const timeoutAt = startedAtMs + totalTimeoutMs;
  if (expiresAtMicros === null) return { at: timeoutAt, bound: 'timeout' };
  const expiresAt = Math.floor(expiresAtMicros / 1000);
  return expiresAt <= timeoutAt ? { at: expiresAt, bound: 'expiry' } : { at: timeoutAt, bound: 'timeout' };
}

/**
 * The error of an attempt cut at its deadline. At the link's expiry it is a final EXPIRED (the link no longer
 * works); at the total timeout it is a retriable DEADLINE: the next attempt resumes from the bytes kept.
 */
export function deadlineError(deadline: DownloadDeadline, bytes: number): DownloadError {
  const when = new Date(deadline.at).toISOString();
  if (deadline.bound === 'expiry') {
    return new DownloadError('EXPIRED', `the link expired at ${when} while downloading (${bytes} bytes so far)`, false);
  }
  return new DownloadError('DEADLINE', `the download passed its deadline ${when} set by DOWNLOAD_TOTAL_TIMEOUT_MS (${bytes} bytes so far)`, true);
}

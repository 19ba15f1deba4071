import { DownloadError } from './download-error.js';

/** When a download attempt must be over, and which limit set that time. */
export interface DownloadDeadline {
  /** Milliseconds since the epoch. */
  at: number;
  /** `expiry`: the link stops working then; `timeout`: DOWNLOAD_TOTAL_TIMEOUT_MS from the attempt's start. */
  bound: 'expiry' | 'timeout';
  /** A fresh link can be asked for (the provider API is configured): reaching the expiry is not the end. */
  refreshable?: boolean;
}

/**
 * The deadline of an attempt that starts at `startedAtMs`: DOWNLOAD_TOTAL_TIMEOUT_MS later, but never past the
 * link's expiry (`expiresAtMicros`, null when the event gave none). The one place that decides it. With a provider
 * API (`refreshable`), the attempt is still cut at the expiry, since the link stops working there, but as a cut that
 * a fresh link resumes from: the caller asks for one and calls again with the same `startedAtMs`, so the total
 * timeout still bounds the whole attempt.
 */
export function downloadDeadline(startedAtMs: number, totalTimeoutMs: number, expiresAtMicros: number | null, refreshable = false): DownloadDeadline {
  const timeoutAt = startedAtMs + totalTimeoutMs;
  if (expiresAtMicros === null) return { at: timeoutAt, bound: 'timeout' };
  const expiresAt = Math.floor(expiresAtMicros / 1000);
  if (expiresAt > timeoutAt) return { at: timeoutAt, bound: 'timeout' };
  return refreshable ? { at: expiresAt, bound: 'expiry', refreshable } : { at: expiresAt, bound: 'expiry' };
}

/**
 * The error of an attempt cut at its deadline. At the link's expiry it is EXPIRED: final without a provider API
 * (the link no longer works), retriable with one (a fresh link goes on from the bytes kept); at the total timeout it
 * is a retriable DEADLINE: the next attempt resumes from the bytes kept.
 */
export function deadlineError(deadline: DownloadDeadline, bytes: number): DownloadError {
  const when = new Date(deadline.at).toISOString();
  if (deadline.bound === 'expiry') {
    const next = deadline.refreshable ? '; a fresh link goes on from there' : '';
    return new DownloadError('EXPIRED', `the link expired at ${when} while downloading (${bytes} bytes so far)${next}`, deadline.refreshable === true);
  }
  return new DownloadError('DEADLINE', `the download passed its deadline ${when} set by DOWNLOAD_TOTAL_TIMEOUT_MS (${bytes} bytes so far)`, true);
}

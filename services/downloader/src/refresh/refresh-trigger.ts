import type { DownloadError } from '../download/download-error.js';
import { ExpiredLinkError } from './expired-link-error.js';

/**
 * Why the downloader asks the provider for a fresh link: the job's link had `expired` before the fetch, was
 * `expiring` before the download could finish, expired `mid_download` (the attempt was cut at the expiry), or was
 * `refused` (403) by the object store while it should still have worked.
 */
export type RefreshTrigger = 'expired' | 'expiring' | 'mid_download' | 'refused';

/** The link a job is fetching with. */
export interface JobLink {
  url: string;
  /** Microseconds since the epoch; null when the provider gave no expiry. */
  expiresAt: number | null;
  /** Given by the provider during this attempt (a 403 on it is not an expiry a new link would fix). */
  freshThisAttempt: boolean;
}

// Connecting, the provider's answer and the archive store's work, on top of the transfer itself.
const MARGIN_MS = 30_000;
// A link with less than this left is replaced before any fetch, sized or not: even a small file needs a connection
// and an answer, and a fetch cut at the expiry before its first bytes were kept is sent again whole.
const MIN_LEFT_TO_START_MS = 2000;

/**
 * The rate a download is expected to keep: half the rate this downloader has lately seen (other downloads share the
 * uplink, the far end varies), but never under DOWNLOAD_MIN_BYTES_PER_SECOND, since a slower transfer is cut as
 * TOO_SLOW anyway. Before any transfer was seen, that minimum; undefined when there is neither (no estimate).
 */
export function expectedRate(observedBytesPerSecond: number | undefined, minBytesPerSecond: number): number | undefined {
  const floor = minBytesPerSecond > 0 ? minBytesPerSecond : undefined;
  if (observedBytesPerSecond === undefined) return floor;
  return Math.max(observedBytesPerSecond / 2, floor ?? 0);
}

/**
 * Before fetching: `expired` when the link is past its expiry; `expiring` when it has less than 2 s left, or when the
 * download cannot be expected to finish before it: `expectedBytes` at `bytesPerSecond`, plus a margin of 30 s, takes
 * longer than the time left. Beyond those 2 s, without a size or a rate (chat, transcript and summary jobs carry no
 * size) nothing is predicted: the expiry cut mid-download is the fallback.
 */
export function triggerBeforeFetch(link: Pick<JobLink, 'expiresAt'>, nowMs: number, expectedBytes: number | null, bytesPerSecond: number | undefined): RefreshTrigger | undefined {
  if (link.expiresAt === null) return undefined;
  const leftMs = link.expiresAt / 1000 - nowMs;
  if (leftMs <= 0) return 'expired';
  if (leftMs < MIN_LEFT_TO_START_MS) return 'expiring';
  if (expectedBytes === null || expectedBytes <= 0 || bytesPerSecond === undefined || bytesPerSecond <= 0) return undefined;
  const neededMs = (expectedBytes / bytesPerSecond) * 1000 + MARGIN_MS;
  return neededMs > leftMs ? 'expiring' : undefined;
}

/**
 * After a fetch failed: whether a fresh link can help. The attempt was cut at the link's expiry (`mid_download`);
 * the link is past its expiry whatever the failure (`expired`: a presigned link answers 403 then); or the store
 * refused a link that should still work (`refused`), unless that link is one the provider has just given, which a
 * newer one would not fix. Anything else (404, a reset, too slow) is not about the link.
 */
export function triggerAfterFailure(error: DownloadError, link: JobLink, nowMs: number): RefreshTrigger | undefined {
  if (error instanceof ExpiredLinkError) return undefined;
  if (error.code === 'EXPIRED') return 'mid_download';
  if (link.expiresAt !== null && nowMs * 1000 >= link.expiresAt) return 'expired';
  if (error.code === 'HTTP_403' && !link.freshThisAttempt) return 'refused';
  return undefined;
}

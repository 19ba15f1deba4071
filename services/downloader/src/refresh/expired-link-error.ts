import { DownloadError } from '../download/download-error.js';

/**
 * Why an expired link could not be replaced by a fresh one: `NO_PROVIDER_API` (not configured), `NOT_HELD` (the
 * provider no longer has the artifact, or gives no link to it), `NOT_ASKABLE` (the job lacks the session or recording
 * id the API is asked by), `REFRESH_LIMIT` (fresh links kept failing within one attempt), or the code of the
 * provider's error (`PROVIDER_THROTTLED`, `PROVIDER_UNAUTHORIZED`, ...).
 */
export type ExpiredBecause = 'NO_PROVIDER_API' | 'NOT_HELD' | 'NOT_ASKABLE' | 'REFRESH_LIMIT' | `PROVIDER_${string}`;

/**
 * An `EXPIRED` download that says why no fresh link took over (`expiredBecause`, reported on the archive topic).
 * Retriable only when asking again later can help: a throttled or unavailable provider, or the refresh limit.
 */
export class ExpiredLinkError extends DownloadError {
  readonly expiredBecause: ExpiredBecause;

  constructor(message: string, expiredBecause: ExpiredBecause, retriable: boolean, cause?: unknown) {
    super('EXPIRED', message, retriable, cause);
    this.expiredBecause = expiredBecause;
  }
}

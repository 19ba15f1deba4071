import { AppError } from '../../../../shared/src/index.js';

/**
 * Why a download failed, as the `reason` reported on the archive topic: EXPIRED (also when an attempt is cut at
 * the link's expiry), HTTP_<status>, TOO_LARGE, NOT_ALLOWED (the policy, or a link or redirect that is not a URL),
 * SIZE_MISMATCH, NETWORK, TIMEOUT (connect or idle), DEADLINE (DOWNLOAD_TOTAL_TIMEOUT_MS passed; retried, resuming),
 * TOO_SLOW (under DOWNLOAD_MIN_BYTES_PER_SECOND; retried), STORE. `retriable` says whether trying again can help.
 */
export class DownloadError extends AppError {
  constructor(reason: string, message: string, retriable: boolean, cause?: unknown) {
    super(message, { code: reason, retriable, cause });
  }
}

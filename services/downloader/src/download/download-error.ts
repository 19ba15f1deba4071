import { AppError } from '../../../../shared/src/index.js';

/**
 * Why a download failed, as the `reason` reported on the archive topic: EXPIRED, HTTP_<status>, TOO_LARGE,
 * NOT_ALLOWED, SIZE_MISMATCH, NETWORK, TIMEOUT, STORE. `retriable` says whether trying again can help.
 */
export class DownloadError extends AppError {
  constructor(reason: string, message: string, retriable: boolean, cause?: unknown) {
    super(message, { code: reason, retriable, cause });
  }
}

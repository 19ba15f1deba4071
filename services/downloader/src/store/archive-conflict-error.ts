import { DownloadError } from '../download/download-error.js';

/** The size and SHA-256 of a file (SHA-256 unknown when the sizes already differ). */
export interface FileDigest {
  bytes: number;
  sha256: string | null;
}

/**
 * The archive already holds a different file under the artifact's key: it is never replaced, and the job fails for
 * good with reason EXISTS_DIFFERENT, naming where.
 */
export class ArchiveConflictError extends DownloadError {
  constructor(
    readonly location: string,
    existing: FileDigest,
    incoming: FileDigest,
  ) {
    super(
      'EXISTS_DIFFERENT',
      `${location} already holds a different file (${existing.bytes} bytes, sha256 ${existing.sha256 ?? 'not computed'}); ` +
        `this one (${incoming.bytes} bytes, sha256 ${incoming.sha256 ?? 'not computed'}) is not stored over it`,
      false,
    );
  }
}

/** Where archived artifacts are kept: a local folder by default. */
export interface ArchiveStore {
  /** Moves a complete, fsynced file into the archive under `key`, atomically; returns its location URL. */
  put(key: string, completeFile: string, contentType: string | null): Promise<string>;
  /** The folder partial downloads are written to (on the same file system as the archive for a local store). */
  partialDir: string;
  /** Fails fast at start when the store cannot be used (a missing bucket, refused credentials). */
  check?(): Promise<void>;
}

/** What the archive is told of a complete file it is to keep. */
export interface StoredFile {
  bytes: number;
  /** SHA-256 of the whole file, hex: tells the same file from a different one already under the key. */
  sha256: string;
  contentType: string | null;
}

/** Where archived artifacts are kept: a local folder by default. */
export interface ArchiveStore {
  /**
   * Moves a complete, fsynced file into the archive under `key`, atomically, and returns its location URL. Never
   * replaces a file: when the key already holds the same content (same size and SHA-256) the file counts as archived
   * (a retry after a crash between storing and reporting); when it holds other content, throws an
   * ArchiveConflictError (EXISTS_DIFFERENT, final).
   */
  put(key: string, completeFile: string, file: StoredFile): Promise<string>;
  /**
   * The bytes of an archived file, by the location `put` returned, as a stream of chunks (never held whole). Throws
   * (on iteration) when it is not there or not this store's.
   */
  read(location: string): AsyncIterable<Buffer>;
  /** The folder partial downloads are written to (on the same file system as the archive for a local store). */
  partialDir: string;
  /** Fails fast at start when the store cannot be used (a missing bucket, refused credentials). */
  check?(): Promise<void>;
}

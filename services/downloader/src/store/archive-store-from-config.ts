import { ConfigError } from '../../../../shared/src/index.js';
import type { ArchiveStore } from './archive-store.js';
import { localArchiveStore } from './local-archive-store.js';
import { s3ArchiveStore } from './s3-archive-store.js';

/** The archive settings of the downloader config. */
export interface ArchiveStoreSettings {
  archiveDir: string;
  s3Bucket: string | undefined;
  s3Prefix: string | undefined;
  s3Endpoint: string | undefined;
  s3Region: string;
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
  s3ForcePathStyle: boolean;
}

/** The local folder store, or the S3 one when ARCHIVE_S3_BUCKET is set. */
export function archiveStoreFromConfig(settings: ArchiveStoreSettings): ArchiveStore {
  if (!settings.s3Bucket) return localArchiveStore(settings.archiveDir);
  if ((settings.s3AccessKeyId === undefined) !== (settings.s3SecretAccessKey === undefined)) {
    throw new ConfigError(['ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY must be set together (or neither, for the default credential chain)']);
  }
  return s3ArchiveStore({
    bucket: settings.s3Bucket,
    prefix: settings.s3Prefix ?? '',
    endpoint: settings.s3Endpoint,
    region: settings.s3Region,
    credentials:
      settings.s3AccessKeyId && settings.s3SecretAccessKey
        ? { accessKeyId: settings.s3AccessKeyId, secretAccessKey: settings.s3SecretAccessKey }
        : undefined,
    forcePathStyle: settings.s3ForcePathStyle,
    partialDir: settings.archiveDir,
  });
}

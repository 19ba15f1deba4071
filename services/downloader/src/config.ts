import { baseConfigSchema, booleanSetting, integerSetting, stringSetting } from '../../../shared/src/index.js';

/** Everything the downloader reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  archiveDir: stringSetting({
    env: 'ARCHIVE_DIR',
    doc: 'Folder of the local archive store (and of partial downloads, under .partial/)',
    default: './data/archive',
  }),
  concurrency: integerSetting({ env: 'DOWNLOAD_CONCURRENCY', doc: 'Downloads at once per downloader process', default: 4, min: 1, max: 256 }),
  allowedHosts: stringSetting({
    env: 'DOWNLOAD_ALLOWED_HOSTS',
    doc: 'Comma-separated hosts links may point to; *.example.com matches subdomains',
    default: '*.amazonaws.com,*.r2.cloudflarestorage.com,*.r2.dev',
  }),
  allowHttp: booleanSetting({ env: 'DOWNLOAD_ALLOW_HTTP', doc: 'Allow plain http:// links (https only by default)', default: false }),
  allowedAddresses: stringSetting({
    env: 'DOWNLOAD_ALLOWED_ADDRESSES',
    doc: 'Comma-separated private/loopback IPs or CIDRs that links may resolve to anyway (e.g. 127.0.0.1 in tests); "none" for none',
    default: 'none',
  }),
  maxBytes: integerSetting({
    env: 'DOWNLOAD_MAX_BYTES',
    doc: 'Largest artifact accepted; larger ones fail as TOO_LARGE',
    default: 20 * 1024 ** 3,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  }),
  connectTimeoutMs: integerSetting({ env: 'DOWNLOAD_CONNECT_TIMEOUT_MS', doc: 'Connect timeout of a download', default: 10_000, min: 100, max: 600_000 }),
  idleTimeoutMs: integerSetting({ env: 'DOWNLOAD_IDLE_TIMEOUT_MS', doc: 'A download with no byte for this long is cut and retried', default: 30_000, min: 100, max: 600_000 }),
  lockMs: integerSetting({
    env: 'DOWNLOAD_LOCK_MS',
    doc: 'How long a job stays claimed without a heartbeat before another downloader takes it over (after a crash)',
    default: 30_000,
    min: 1000,
    max: 600_000,
  }),
  progressIntervalMs: integerSetting({ env: 'DOWNLOAD_PROGRESS_INTERVAL_MS', doc: 'How often a long download logs its progress', default: 5000, min: 100, max: 600_000 }),
};

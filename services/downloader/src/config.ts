import {
  baseConfigSchema,
  tracingConfigSchema,
  booleanSetting,
  integerSetting,
  metricsSettings,
  optionalStringSetting,
  providerSettings,
  stringSetting,
  urlSetting,
  type Setting,
} from '../../../shared/src/index.js';
import { checkAddressList, checkHostPatterns, parsePorts } from './download/url-policy.js';

/** Everything the downloader reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  ...tracingConfigSchema,
  ...metricsSettings({ service: 'downloader', portEnv: 'DOWNLOADER_METRICS_PORT', defaultPort: 9102 }),
  ...providerSettings(),
  archiveDir: stringSetting({
    env: 'ARCHIVE_DIR',
    doc: 'Folder of the local archive store (and of partial downloads, under .partial/)',
    default: './data/archive',
  }),
  concurrency: integerSetting({ env: 'DOWNLOAD_CONCURRENCY', doc: 'Downloads at once per downloader process', default: 4, min: 1, max: 256 }),
  allowedHosts: checked(
    stringSetting({
      env: 'DOWNLOAD_ALLOWED_HOSTS',
      doc: 'Comma-separated hosts links may point to; a * label stands for exactly one DNS label (*.s3.*.amazonaws.com)',
      // AWS S3 (Dyte) and R2 (RealtimeKit) presigned hosts, virtual-hosted and path-style; never all of amazonaws.com.
      default:
        '*.s3.amazonaws.com,*.s3.*.amazonaws.com,*.s3.dualstack.*.amazonaws.com,s3.amazonaws.com,s3.*.amazonaws.com,' +
        '*.r2.cloudflarestorage.com,*.*.r2.cloudflarestorage.com',
    }),
    checkHostPatterns,
  ),
  allowHttp: booleanSetting({ env: 'DOWNLOAD_ALLOW_HTTP', doc: 'Allow plain http:// links (https only by default)', default: false }),
  allowedAddresses: checked(
    stringSetting({
      env: 'DOWNLOAD_ALLOWED_ADDRESSES',
      doc: 'Comma-separated IPs or CIDRs that are not public unicast (private, loopback, ...) but that links may resolve to anyway (e.g. 127.0.0.1 in tests); "none" for none',
      default: 'none',
    }),
    checkAddressList,
  ),
  allowedPorts: {
    env: 'DOWNLOAD_ALLOWED_PORTS',
    doc: 'Comma-separated ports links may use; unset: 443, or 80 for http links with DOWNLOAD_ALLOW_HTTP',
    format: 'a comma-separated list of ports from 1 to 65535',
    default: undefined,
    optional: true,
    parse: parsePorts,
  } satisfies Setting<number[] | undefined>,
  totalTimeoutMs: integerSetting({
    env: 'DOWNLOAD_TOTAL_TIMEOUT_MS',
    doc: "Longest one download attempt may take, redirects and body included (never past the link's expiry); then cut and retried as DEADLINE",
    default: 6 * 3600_000,
    min: 1000,
    max: 7 * 24 * 3600_000,
  }),
  minBytesPerSecond: integerSetting({
    env: 'DOWNLOAD_MIN_BYTES_PER_SECOND',
    doc: 'A download slower than this over DOWNLOAD_MIN_RATE_WINDOW_MS is cut and retried as TOO_SLOW; 0 turns the check off',
    default: 16 * 1024,
    min: 0,
    max: 1024 ** 3,
  }),
  minRateWindowMs: integerSetting({
    env: 'DOWNLOAD_MIN_RATE_WINDOW_MS',
    doc: 'The window the minimum rate is averaged over, and the grace at the start of each attempt before it is first judged',
    default: 60_000,
    min: 100,
    max: 3600_000,
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
  streamChat: booleanSetting({ env: 'STREAM_CHAT', doc: 'Publish every message of an archived chat on the chat topic (docs/adr/0014)', default: true }),
  streamTranscript: booleanSetting({ env: 'STREAM_TRANSCRIPT', doc: 'Publish every line of an archived transcript on the transcript topic', default: true }),
  streamSummary: booleanSetting({ env: 'STREAM_SUMMARY', doc: 'Publish the text of an archived summary on the transcript topic', default: true }),
  streamSummaryMaxBytes: integerSetting({
    env: 'STREAM_SUMMARY_MAX_BYTES',
    doc: 'Largest summary text carried on Kafka, in UTF-8 bytes; a longer summary is cut (truncated) and points at its archived file',
    default: 256 * 1024,
    min: 1024,
    max: 768 * 1024,
  }),
  streamBatchRecords: integerSetting({
    env: 'STREAM_BATCH_RECORDS',
    doc: 'Records per produce request when publishing a file, and per progress save (a restart sends again at most one batch)',
    default: 500,
    min: 1,
    max: 10_000,
  }),
  streamMaxRecordBytes: integerSetting({
    env: 'STREAM_MAX_RECORD_BYTES',
    doc: 'Largest record published from a file; a longer row is rejected and counted',
    default: 900 * 1024,
    min: 1024,
    max: 900 * 1024,
  }),
  s3Bucket: optionalStringSetting({ env: 'ARCHIVE_S3_BUCKET', doc: 'Archive to this S3-compatible bucket instead of ARCHIVE_DIR (which then only holds partial downloads)' }),
  s3Prefix: optionalStringSetting({ env: 'ARCHIVE_S3_PREFIX', doc: 'Prefix of every archived object key, e.g. dyte/' }),
  s3Endpoint: {
    ...urlSetting({ env: 'ARCHIVE_S3_ENDPOINT', doc: 'Endpoint of an S3-compatible API (MinIO, R2, ...); unset for AWS S3', protocols: ['https:', 'http:'] }),
    optional: true,
  },
  s3Region: stringSetting({ env: 'ARCHIVE_S3_REGION', doc: 'Region of the bucket', default: 'us-east-1' }),
  s3AccessKeyId: optionalStringSetting({ env: 'ARCHIVE_S3_ACCESS_KEY_ID', doc: "Access key id; unset for the SDK's default credential chain" }),
  s3SecretAccessKey: { ...optionalStringSetting({ env: 'ARCHIVE_S3_SECRET_ACCESS_KEY', doc: 'Secret access key' }), secret: true },
  s3ForcePathStyle: booleanSetting({ env: 'ARCHIVE_S3_FORCE_PATH_STYLE', doc: 'Path-style bucket URLs (most S3-compatible servers need it)', default: false }),
};

/** A string setting whose value is also checked at boot by `check` (which throws the rule broken). */
function checked(setting: Setting<string>, check: (value: string) => void): Setting<string> {
  return {
    ...setting,
    parse: (raw) => {
      check(raw);
      return setting.parse(raw);
    },
  };
}

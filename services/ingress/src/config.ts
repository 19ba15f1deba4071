import {
  baseConfigSchema,
  tracingConfigSchema,
  booleanSetting,
  integerSetting,
  metricsSettings,
  optionalStringSetting,
} from '../../../shared/src/index.js';
import { parsePublicKeyUrl, PUBLIC_KEY_URL_RULE } from './signature/public-key-url.js';

/** Everything the ingress reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  ...tracingConfigSchema,
  port: integerSetting({ env: 'INGRESS_PORT', doc: 'HTTP port of the webhook endpoint', default: 3000, min: 0, max: 65535 }),
  // Metrics on a side port: the webhook port is public, what it reveals about traffic is not.
  ...metricsSettings({ service: 'ingress', portEnv: 'INGRESS_METRICS_PORT', defaultPort: 9100 }),
  drainMs: integerSetting({
    env: 'INGRESS_DRAIN_MS',
    doc: "On SIGTERM, how long GET /readyz answers 503 while webhooks are still taken, before the port closes: at least the load balancer's health-check interval times its unhealthy threshold",
    default: 5000,
    min: 0,
    max: 120_000,
  }),
  maxBodyBytes: integerSetting({
    env: 'INGRESS_MAX_BODY_BYTES',
    doc: 'Largest webhook body accepted; larger ones get 413',
    default: 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
  ackTimeoutMs: integerSetting({
    env: 'INGRESS_ACK_TIMEOUT_MS',
    doc: "How long a webhook waits for Kafka's ack before it is answered 503 (Dyte gives up at 3000)",
    default: 2000,
    min: 100,
    max: 2800,
  }),
  requestTimeoutMs: integerSetting({
    env: 'INGRESS_REQUEST_TIMEOUT_MS',
    doc: 'Longest a client may take to send a whole request (slow clients are cut off)',
    default: 10_000,
    min: 1000,
    max: 120_000,
  }),
  maxPendingRecords: integerSetting({
    env: 'INGRESS_MAX_PENDING_RECORDS',
    doc: 'Records that may wait for Kafka before new webhooks get 503 at once',
    default: 10_000,
    min: 1,
    max: 1_000_000,
  }),
  maxBatchRecords: integerSetting({
    env: 'INGRESS_MAX_BATCH_RECORDS',
    doc: 'Most records in one produce request (group commit)',
    default: 500,
    min: 1,
    max: 10_000,
  }),
  lingerMs: integerSetting({
    env: 'INGRESS_LINGER_MS',
    doc: 'How long a produce request that is not full waits for more webhooks to join it (as Kafka linger.ms): fewer, fuller requests for at most this much latency; 0: none',
    default: 2,
    min: 0,
    max: 100,
  }),
  verifySignatures: booleanSetting({
    env: 'DYTE_WEBHOOK_VERIFY',
    doc: 'Verify webhook signatures; only "false" turns it off (with a warning at boot)',
    default: true,
  }),
  publicKeyPem: optionalStringSetting({ env: 'DYTE_WEBHOOK_PUBLIC_KEY', doc: 'Webhook public key, PEM (SPKI)' }),
  publicKeyFile: optionalStringSetting({ env: 'DYTE_WEBHOOK_PUBLIC_KEY_FILE', doc: 'File holding the webhook public key, PEM' }),
  publicKeyUrl: {
    ...optionalStringSetting({
      env: 'DYTE_WEBHOOK_PUBLIC_KEY_URL',
      doc: "Dyte's <api>/.well-known/webhooks.json, https (http only for a loopback host): key fetched, cached, refetched once when a signature fails",
      // May carry a password (user:password@): never echoed.
      secret: true,
    }),
    format: PUBLIC_KEY_URL_RULE,
    parse: (raw: string) => {
      parsePublicKeyUrl(raw);
      return raw;
    },
  },
  compactJsonFallback: booleanSetting({
    env: 'DYTE_WEBHOOK_COMPACT_JSON_FALLBACK',
    doc: "Also accept a signature over the compact JSON.stringify of the parsed body (Dyte's sample code). Risk: anyone who saw a signed body can re-serialise it into new bytes that verify",
    default: false,
  }),
  compactJsonMaxBytes: integerSetting({
    env: 'DYTE_WEBHOOK_COMPACT_JSON_MAX_BYTES',
    doc: 'Largest body the compact-JSON fallback is tried for; larger ones must be signed on their raw bytes',
    default: 64 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
};

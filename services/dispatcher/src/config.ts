import { baseConfigSchema, tracingConfigSchema, integerSetting, metricsSettings, providerSettings, stringSetting } from '../../../shared/src/index.js';
import { adminConfigSchema } from './admin/admin-settings.js';
import { reconcileConfigSchema } from './reconcile/reconcile-settings.js';

/** Everything the dispatcher reads from the environment. */
export const configSchema = {
  ...baseConfigSchema,
  ...tracingConfigSchema,
  ...metricsSettings({ service: 'dispatcher', portEnv: 'DISPATCHER_METRICS_PORT', defaultPort: 9101 }),
  ...adminConfigSchema,
  ...providerSettings(),
  ...reconcileConfigSchema,
  groupId: stringSetting({
    env: 'DISPATCHER_GROUP_ID',
    doc: 'Kafka consumer group of the dispatchers (replicas share it; at most one per partition is busy)',
    default: 'dyte-archive-dispatcher',
  }),
  sessionTimeoutMs: integerSetting({
    env: 'DISPATCHER_SESSION_TIMEOUT_MS',
    doc: "How long a silent (crashed) dispatcher keeps its partitions before the group hands them to the others",
    default: 10_000,
    min: 6000,
    max: 300_000,
  }),
  ledgerIncompleteAfterSeconds: integerSetting({
    env: 'LEDGER_INCOMPLETE_AFTER_SECONDS',
    doc: 'A session counts as incomplete (dyte_bridge_sessions_incomplete) once an artifact has been announced and not archived for this long',
    default: 21_600,
    min: 0,
    max: 30 * 24 * 3600,
  }),
};

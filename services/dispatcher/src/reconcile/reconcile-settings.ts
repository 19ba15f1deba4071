import { integerSetting } from '../../../../shared/src/index.js';

/** The settings of the dispatcher's reconcile sweep. */
export const reconcileConfigSchema = {
  reconcileIntervalSeconds: integerSetting({
    env: 'RECONCILE_INTERVAL_SECONDS',
    doc: 'How often one dispatcher of the fleet reconciles the archive with the provider (needs PROVIDER); 0 turns the sweep off',
    default: 900,
    min: 0,
    max: 7 * 24 * 3600,
  }),
  reconcileWindowHours: integerSetting({
    env: 'RECONCILE_WINDOW_HOURS',
    doc: 'Sessions that started this many hours back are reconciled (the provider keeps files 7 days: 168 covers all it holds)',
    default: 72,
    min: 1,
    max: 720,
  }),
  reconcileGraceMinutes: integerSetting({
    env: 'RECONCILE_GRACE_MINUTES',
    doc: 'Sessions that ended less than this long ago are left to their webhooks until a later sweep',
    default: 30,
    min: 0,
    max: 24 * 60,
  }),
};

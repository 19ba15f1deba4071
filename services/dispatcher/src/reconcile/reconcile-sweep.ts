import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger, ProviderClient, Service } from '../../../../shared/src/index.js';
import type { ArchivedArtifactsSource, IncompleteSessionsSource } from './ledger-sources.js';
import { recordLastSweep } from './last-sweep.js';
import { reconcile } from './reconcile.js';
import type { ReconcileJobStore } from './reconcile-job-store.js';
import type { ReconcileMetrics, SweepOutcome } from './reconcile-metrics.js';
import type { ReconcileReport } from './reconcile-report.js';
import { createSweepLock, sweepLockKey } from './sweep-lock.js';

/** How the sweep runs. */
export interface ReconcileSweepSettings {
  archiveQueue: string;
  reconcileIntervalSeconds: number;
  reconcileWindowHours: number;
  reconcileGraceMinutes: number;
}

/** What the sweep uses. */
export interface ReconcileSweepDeps {
  /** Holds the lock and the last sweep's time. */
  redis: Redis;
  provider?: ProviderClient;
  incompleteSessions?: IncompleteSessionsSource;
  archived?: ArchivedArtifactsSource;
  jobs: ReconcileJobStore;
  metrics: ReconcileMetrics;
  logger: Logger;
  settings: ReconcileSweepSettings;
}

// A sweep that outlasts its interval keeps its claim this long at a time, renewed three times as often.
const HOLD_MS = 60_000;
// How long stop() waits for a sweep to reach the end of the session it is on.
const STOP_WAIT_MS = 10_000;

/**
 * The periodic reconcile: every replica looks every tick (a tenth of the interval, 1 s to 60 s) whether the current
 * interval is still unclaimed; the one that claims it in Redis sweeps, the others find it taken, so the fleet sweeps
 * once per interval whatever its size. The first look is at start.
 */
export function createReconcileSweep(deps: ReconcileSweepDeps): Service {
  const { logger, settings, metrics } = deps;
  const intervalMs = settings.reconcileIntervalSeconds * 1000;
  const tickMs = Math.min(60_000, Math.max(1000, Math.floor(intervalMs / 10)));
  const lock = createSweepLock(deps.redis, { key: sweepLockKey(settings.archiveQueue), intervalMs, holdMs: HOLD_MS });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping: AbortController | undefined;
  let stopped = false;

  const sweep = async (): Promise<void> => {
    const claim = await lock.claim();
    if (!claim) return;
    if (stopped) {
      // Claimed while stopping: leave the interval to a replica that stays.
      await claim.release();
      return;
    }
    const abort = new AbortController();
    stopping = abort;
    const heartbeat = setInterval(() => {
      claim.extend().then(
        (kept) => {
          if (!kept) {
            logger.warn('reconcile sweep lost its lock; stopping it');
            abort.abort();
          }
        },
        (error: unknown) => logger.warn('reconcile sweep could not extend its lock', { error }),
      );
    }, HOLD_MS / 3);
    const startedAt = Date.now();
    const runId = `reconcile:${new Date(startedAt).toISOString()}`;
    let outcome: SweepOutcome = 'failed';
    try {
      const report = await reconcile(
        {
          ...(deps.provider ? { provider: deps.provider } : {}),
          ...(deps.incompleteSessions ? { incompleteSessions: deps.incompleteSessions } : {}),
          ...(deps.archived ? { archived: deps.archived } : {}),
          jobs: deps.jobs,
          signal: abort.signal,
          onSession: (finding) => {
            for (const artifact of finding.artifacts) metrics.artifacts.inc({ kind: artifact.kind, outcome: artifact.outcome });
            for (const artifact of finding.artifacts.filter((a) => a.outcome === 'recovered' || a.outcome === 'retried')) {
              // Never the link: it is a secret. The job id names the artifact.
              logger.info(artifact.outcome === 'recovered' ? 'reconcile recovered an artifact no job had' : 'reconcile retried a failed artifact with a fresh link', {
                jobId: artifact.jobId,
                kind: artifact.kind,
                sessionId: finding.sessionId,
                meetingId: finding.meetingId,
                ...(artifact.reason ? { reason: artifact.reason } : {}),
              });
            }
            if (finding.errors.length > 0) logger.warn('reconcile: provider calls failed for a session', { sessionId: finding.sessionId, errors: finding.errors });
          },
        },
        {
          since: new Date(startedAt - settings.reconcileWindowHours * 3600_000),
          until: new Date(startedAt),
          settledBefore: new Date(startedAt - settings.reconcileGraceMinutes * 60_000),
          dryRun: false,
          runId,
        },
      );
      outcome = report.aborted ? 'aborted' : report.sessionsWithErrors > 0 ? 'partial' : 'ok';
      if (outcome !== 'aborted') await recordLastSweep(deps.redis, settings.archiveQueue, { finishedAt: Date.now(), outcome });
      logger.info('reconcile sweep done', { outcome, tookMs: Date.now() - startedAt, ...summary(report) });
      if (report.incomplete && report.incomplete.length > 0) {
        logger.warn('reconcile: sessions with artifacts announced and never archived', {
          sessions: report.incomplete.length,
          first: report.incomplete.slice(0, 20).map((s) => ({ sessionId: s.sessionId, meetingId: s.meetingId, artifacts: s.artifacts.map((a) => `${a.jobId} ${a.state}`) })),
        });
      }
    } catch (error) {
      logger.error('reconcile sweep failed', { tookMs: Date.now() - startedAt, error });
    } finally {
      clearInterval(heartbeat);
      stopping = undefined;
      metrics.sweeps.inc({ outcome });
      await claim.finish().catch((error: unknown) => logger.warn('reconcile sweep could not finish its lock', { error }));
    }
  };

  const tick = () => {
    if (running) return;
    running = sweep()
      .catch((error: unknown) => logger.warn('reconcile sweep could not claim its interval', { error }))
      .finally(() => (running = undefined));
  };

  return {
    async start() {
      timer = setInterval(tick, tickMs);
      tick();
      logger.info('reconcile sweep on', {
        intervalSeconds: settings.reconcileIntervalSeconds,
        windowHours: settings.reconcileWindowHours,
        graceMinutes: settings.reconcileGraceMinutes,
        provider: deps.provider?.description ?? null,
        ledger: deps.incompleteSessions !== undefined,
      });
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopping?.abort();
      if (running) await Promise.race([running, sleep(STOP_WAIT_MS, undefined, { ref: false })]);
    },
  };
}

function summary(report: ReconcileReport): Record<string, unknown> {
  return {
    sessions: report.sessions.length,
    skipped: report.skipped,
    ...report.totals,
    sessionsWithErrors: report.sessionsWithErrors,
    ...(report.incomplete ? { incompleteSessions: report.incomplete.length } : {}),
  };
}

import type { Logger } from '../logging/index.js';

/** What `main.ts` hands to `runService`: something that starts and stops. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of `runService`. */
export interface RunServiceOptions {
  logger: Logger;
  /** How long a graceful stop may take before the process exits anyway. */
  stopTimeoutMs?: number;
  /** Connections to close once the service has stopped (Redis, ...), in order. */
  closeAfterStop?: (() => Promise<unknown>)[];
  /** Injected for tests; `process` by default. */
  processLike?: Pick<NodeJS.Process, 'once' | 'exit'>;
}

/**
 * Starts a service and stops it on SIGTERM or SIGINT: the first signal stops it gracefully within a bounded
 * time, a second one exits at once. A failed start exits non-zero with the reason logged.
 */
export async function runService(service: Service, options: RunServiceOptions): Promise<void> {
  const { logger } = options;
  const proc = options.processLike ?? process;
  const stopTimeoutMs = options.stopTimeoutMs ?? 25_000;
  const stopAll = async () => {
    await service.stop();
    for (const close of options.closeAfterStop ?? []) await close();
  };
  let stopping = false;

  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      proc.exit(130);
      return;
    }
    stopping = true;
    logger.info('stopping', { signal });
    const timer = setTimeout(() => {
      logger.error('graceful stop timed out: exiting', { stopTimeoutMs });
      proc.exit(1);
    }, stopTimeoutMs);
    timer.unref();
    stopAll().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped');
        proc.exit(0);
      },
      (error: unknown) => {
        logger.error('stop failed', { error });
        proc.exit(1);
      },
    );
    // Listen again so that a second signal reaches the branch above instead of Node's default.
    proc.once(signal as NodeJS.Signals, () => onSignal(signal));
  };
  proc.once('SIGTERM', () => onSignal('SIGTERM'));
  proc.once('SIGINT', () => onSignal('SIGINT'));

  try {
    await service.start();
  } catch (error) {
    logger.error('start failed', { error });
    await stopAll().catch(() => undefined);
    proc.exit(1);
  }
}

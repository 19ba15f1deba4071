import { AppError, UnavailableError, type Logger } from '../../../../shared/src/index.js';

/** An error as the client gets it: status, `{"error":{"code","message"}}` and extra headers (Retry-After). */
export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string } };
  headers: Record<string, string>;
}

/**
 * The one place errors become answers, for the Koa routes and the webhook route alike: an AppError keeps its status
 * and code; anything else is a 500 whose details stay in the log. A 503 carries Retry-After.
 */
export function errorAnswer(error: unknown, logger: Logger, path: string): ErrorAnswer {
  const known = error instanceof AppError ? error : undefined;
  const status = known?.status ?? 500;
  const body = known?.toJSON() ?? { error: { code: 'INTERNAL', message: 'internal error' } };
  const headers: Record<string, string> = error instanceof UnavailableError ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
  // A 503 is a transient fault Dyte retries (starting, Kafka away, overloaded): worth a warning, not an error line.
  if (error instanceof UnavailableError) logger.warn('request failed', { status, path, error });
  else if (status >= 500) logger.error('request failed', { status, path, error });
  else logger.info('request refused', { status, path, code: known?.code, reason: known?.message });
  return { status, body, headers };
}

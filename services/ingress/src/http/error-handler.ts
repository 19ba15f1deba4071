import type { Middleware } from 'koa';
import { AppError, UnavailableError, type Logger, type TraceSpan } from '../../../../shared/src/index.js';

/**
 * The one place errors become answers: an AppError keeps its status and code; anything else is a 500 whose
 * details stay in the log. Every error body is `{"error":{"code","message"}}`; a 503 carries Retry-After; an answer
 * given before the request body was fully received closes the connection.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const known = error instanceof AppError ? error : undefined;
      ctx.status = known?.status ?? 500;
      ctx.body = known?.toJSON() ?? { error: { code: 'INTERNAL', message: 'internal error' } };
      if (error instanceof UnavailableError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      const fields = { status: ctx.status, path: ctx.path, error };
      // A webhook's refusal carries the ids of its span (set by webhook-route.ts).
      const trace = ctx.state.trace as TraceSpan | undefined;
      const log = trace ? logger.child(trace.logFields) : logger;
      // A 503 is a transient fault Dyte retries (starting, Kafka away, overloaded): worth a warning, not an error line.
      if (error instanceof UnavailableError) log.warn('request failed', fields);
      else if (ctx.status >= 500) log.error('request failed', fields);
      else log.info('request refused', { status: ctx.status, path: ctx.path, code: known?.code, reason: known?.message });
    }
    // Answered before the whole body arrived (415, 413, 404...): to keep the connection, Node would read the rest of
    // the body, however long (a chunked body may never end); closing it after the answer reads nothing more.
    if (!ctx.req.complete && !ctx.headerSent) ctx.set('Connection', 'close');
  };
}

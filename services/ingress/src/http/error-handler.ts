import type { Middleware } from 'koa';
import type { Logger } from '../../../../shared/src/index.js';
import { errorAnswer } from './error-answer.js';

/**
 * Koa's side of the error model (errorAnswer): every error body is `{"error":{"code","message"}}`; a 503 carries
 * Retry-After; an answer given before the request body was fully received closes the connection.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const answer = errorAnswer(error, logger, ctx.path);
      ctx.status = answer.status;
      ctx.body = answer.body;
      ctx.set(answer.headers);
    }
    // Answered before the whole body arrived (415, 413, 404...): to keep the connection, Node would read the rest of
    // the body, however long (a chunked body may never end); closing it after the answer reads nothing more.
    if (!ctx.req.complete && !ctx.headerSent) ctx.set('Connection', 'close');
  };
}

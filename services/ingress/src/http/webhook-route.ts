import type { Middleware } from 'koa';
import { TRACEPARENT_HEADER, type TraceSpan, type Tracing } from '../../../../shared/src/index.js';
import { webhookHandler, type WebhookHandlerDeps } from './webhook-handler.js';

/** The path Dyte posts webhooks to. */
const WEBHOOK_PATH = '/webhooks/dyte';

// The W3C Trace Context Level 2 response header: the span that handled the request, for the caller to join its trace.
const TRACE_RESPONSE_HEADER = 'traceresponse';

/**
 * POST /webhooks/dyte to the webhook handler, in a span that continues the request's `traceparent` (a new trace
 * without a valid one), kept in `ctx.state.trace` for the handler and the error handler, and echoed in the
 * `traceresponse` header; any other method on that path is answered 405 with `Allow: POST`.
 */
export function webhookRoute(deps: WebhookHandlerDeps & { tracing: Tracing }): Middleware {
  const handleWebhook = webhookHandler(deps);
  return async (ctx, next) => {
    if (ctx.path !== WEBHOOK_PATH) return next();
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `use POST ${WEBHOOK_PATH}` } };
      return;
    }
    const span: TraceSpan = deps.tracing.startSpan('POST /webhooks/dyte', {
      parent: ctx.get(TRACEPARENT_HEADER) || undefined,
      kind: 'server',
      attributes: { 'http.request.method': 'POST', 'url.path': WEBHOOK_PATH },
    });
    ctx.state.trace = span;
    ctx.set(TRACE_RESPONSE_HEADER, span.traceparent);
    try {
      await handleWebhook(ctx, next);
      span.end();
    } catch (error) {
      span.end(error);
      throw error;
    }
  };
}

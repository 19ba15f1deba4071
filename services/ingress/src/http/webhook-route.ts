import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { TRACEPARENT_HEADER, type Logger, type Tracing } from '../../../../shared/src/index.js';
import { errorAnswer } from './error-answer.js';
import { webhookHandler, type WebhookHandlerDeps } from './webhook-handler.js';

/** The path Dyte posts webhooks to. */
export const WEBHOOK_PATH = '/webhooks/dyte';

// The W3C Trace Context Level 2 response header: the span that handled the request, for the caller to join its trace.
const TRACE_RESPONSE_HEADER = 'traceresponse';

/** Writes a JSON answer as Koa would (`application/json; charset=utf-8`, Content-Length). */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * The server's request listener: POST /webhooks/dyte straight to the webhook handler on node:http (the hot path,
 * without a Koa context per webhook), any other method on that path 405 with `Allow: POST`, everything else to
 * `others` (the Koa app: health, 404). Errors are answered by the same error model as Koa's routes (errorAnswer);
 * an answer given before the whole body arrived closes the connection. Each webhook is a span that continues the
 * request's `traceparent` (a new trace without a valid one), echoed in the `traceresponse` header.
 */
export function webhookRoute(deps: WebhookHandlerDeps & { logger: Logger; tracing: Tracing }, others: RequestListener): RequestListener {
  const handleWebhook = webhookHandler(deps);
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path !== WEBHOOK_PATH) {
      others(req, res);
      return;
    }
    const closeIfIncomplete = (headers: Record<string, string>) => (req.complete ? headers : { ...headers, Connection: 'close' });
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `use POST ${WEBHOOK_PATH}` } }, closeIfIncomplete({ Allow: 'POST' }));
      return;
    }
    const parent = req.headers[TRACEPARENT_HEADER];
    const span = deps.tracing.startSpan('POST /webhooks/dyte', {
      parent: typeof parent === 'string' && parent !== '' ? parent : undefined,
      kind: 'server',
      attributes: { 'http.request.method': 'POST', 'url.path': WEBHOOK_PATH },
    });
    const traced = { [TRACE_RESPONSE_HEADER]: span.traceparent };
    handleWebhook(req, span).then(
      (accepted) => {
        span.end();
        sendJson(res, 202, accepted, traced);
      },
      (error: unknown) => {
        span.end(error);
        // A webhook's refusal carries the ids of its span.
        const answer = errorAnswer(error, deps.logger.child(span.logFields), path);
        if (!res.headersSent && !res.destroyed) sendJson(res, answer.status, answer.body, closeIfIncomplete({ ...answer.headers, ...traced }));
      },
    );
  };
}

import type { Middleware } from 'koa';
import { webhookHandler, type WebhookHandlerDeps } from './webhook-handler.js';

/** The path Dyte posts webhooks to. */
const WEBHOOK_PATH = '/webhooks/dyte';

/** POST /webhooks/dyte to the webhook handler; any other method on that path is answered 405 with `Allow: POST`. */
export function webhookRoute(deps: WebhookHandlerDeps): Middleware {
  const handleWebhook = webhookHandler(deps);
  return async (ctx, next) => {
    if (ctx.path !== WEBHOOK_PATH) return next();
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `use POST ${WEBHOOK_PATH}` } };
      return;
    }
    await handleWebhook(ctx, next);
  };
}

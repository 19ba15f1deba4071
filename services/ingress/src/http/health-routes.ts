import type { Middleware } from 'koa';

/** What the ingress's public port says of its readiness: a word, never which dependency is missing. */
export type PublicReadiness = 'ready' | 'starting' | 'not ready' | 'draining';

/**
 * GET /healthz (the process answers) and GET /readyz (200 when webhooks can be taken now; 503 while starting, when
 * Kafka does not answer, and while draining after SIGTERM). The reasons are on the metrics port's /readyz only: this
 * port is public.
 */
export function healthRoutes(readiness: () => Promise<PublicReadiness>): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
    } else if (ctx.method === 'GET' && ctx.path === '/readyz') {
      const status = await readiness();
      ctx.status = status === 'ready' ? 200 : 503;
      ctx.body = { status };
    } else {
      await next();
    }
  };
}

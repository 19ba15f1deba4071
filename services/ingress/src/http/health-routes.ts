import type { Middleware } from 'koa';

/** What the ingress knows of its own start-up, for GET /readyz. */
export interface Readiness {
  /** Producer connected, topics created, schemas registered, and not stopping. */
  ready: boolean;
  stopping: boolean;
  producerConnected: boolean;
  schemasRegistered: boolean;
}

/** GET /healthz (the process answers) and GET /readyz (200 once webhooks can be taken, 503 until then and when stopping). */
export function healthRoutes(readiness: () => Readiness): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
    } else if (ctx.method === 'GET' && ctx.path === '/readyz') {
      const { ready, stopping, producerConnected, schemasRegistered } = readiness();
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : stopping ? 'stopping' : 'starting', producerConnected, schemasRegistered };
    } else {
      await next();
    }
  };
}

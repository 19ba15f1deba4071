import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import type { Producer } from 'kafkajs';
import type { Logger } from '../../../shared/src/index.js';

/** What the ingress needs from the outside world; `main.ts` builds them, tests may hand in their own. */
export interface IngressDeps {
  producer: Producer;
  logger: Logger;
  port: number;
}

/** The ingress: a Koa app plus the start/stop that `main.ts` and tests drive. */
export interface IngressApp {
  /** The Koa app, for tests that call `app.callback()` without listening. */
  koa: Koa;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The port actually listened on (useful with port 0). */
  port(): number;
}

/** Builds the ingress without opening a port or connecting: `start` does that. */
export function createIngressApp(deps: IngressDeps): IngressApp {
  const koa = new Koa();
  let ready = false;
  let server: Server | undefined;

  koa.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.method === 'GET' && ctx.path === '/readyz') {
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'starting' };
      return;
    }
    await next();
  });

  return {
    koa,
    async start() {
      await deps.producer.connect();
      server = createServer(koa.callback());
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(deps.port, resolve);
      });
      ready = true;
      deps.logger.info('listening', { port: this.port() });
    },
    async stop() {
      ready = false;
      if (server) {
        const closing = server;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
      await deps.producer.disconnect();
    },
    port() {
      const address = server?.address();
      return typeof address === 'object' && address ? address.port : deps.port;
    },
  };
}

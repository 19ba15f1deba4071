import { createServer } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import Koa from 'koa';
import { sideServer, type Logger, type SideServer } from '../../../../shared/src/index.js';
import { adminAuth, type AdminAuthOptions } from './admin-auth.js';
import type { AdminBoardSettings } from './admin-settings.js';

/** What the dashboard shows. */
export interface AdminServerDeps extends AdminBoardSettings {
  queues: { archive: Queue; parked: Queue };
  logger: Logger;
  /** A clock and limits of sessions and back-off, for tests; the defaults otherwise. */
  auth?: Omit<AdminAuthOptions, 'token' | 'logger'>;
}

/** The queue dashboard's HTTP server. */
export interface AdminServer extends SideServer {
  koa: Koa;
}

/**
 * Bull Board for the download queue (jobs can be retried from it) and the parked queue (read-only: parked records
 * are for reading), behind the admin token. No request URL is logged, so the token in a login URL is
 * never written anywhere.
 */
export function createAdminServer(deps: AdminServerDeps): AdminServer {
  const { logger } = deps;
  const board = new KoaAdapter();
  board.setBasePath('/');
  createBullBoard({
    queues: [
      new BullMQAdapter(deps.queues.archive, { description: 'Download jobs: the link that expires first is fetched first' }),
      new BullMQAdapter(deps.queues.parked, { readOnlyMode: true, description: 'Records that could not become a job, with the reason' }),
    ],
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'dyte-bridge queues' } },
  });

  const koa = new Koa();
  // Behind one trusted proxy: X-Forwarded-Proto makes ctx.secure, and the address it appended last is the client's
  // (an earlier one is whatever the client wrote). Without it both headers are ignored.
  koa.proxy = deps.trustProxy;
  koa.maxIpsCount = 1;
  koa.on('error', (error: unknown, ctx?: Koa.Context) => logger.warn('admin request failed', { path: ctx?.path, error }));
  koa.use(async (ctx, next) => {
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    await next();
  });
  koa.use(adminAuth({ ...deps.auth, token: deps.token, logger }));
  koa.use(board.registerPlugin());

  return {
    koa,
    ...sideServer(createServer(koa.callback()), {
      port: deps.port,
      host: deps.host,
      onListening: (port) =>
        logger.info('admin board listening', { host: deps.host, port, queues: [deps.queues.archive.name, deps.queues.parked.name] }),
    }),
  };
}

import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { sideServer, type SideServer } from '../http/index.js';
import type { Logger } from '../logging/index.js';

/** Options of a metrics server. */
export interface MetricsServerOptions {
  registry: Registry;
  /** Interface to bind, e.g. 0.0.0.0 or 127.0.0.1. */
  host: string;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
}

/** A listening metrics endpoint: `GET /metrics` in the Prometheus text format. */
export type MetricsServer = SideServer;

/**
 * Serves a service's registry at `GET /metrics` (and `GET /healthz`) on a port of its own, for the services
 * that have no HTTP server otherwise. A collector that fails answers 500 with the reason, never a partial page.
 */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  const { registry, logger } = options;
  const listener = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          logger.warn('metrics collection failed', { error });
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics collection failed: ${(error as Error).message}\n`);
        },
      );
    } else if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } }));
    }
  });
  return sideServer(listener, {
    port: options.port,
    host: options.host,
    onListening: (port) => logger.info('metrics listening', { host: options.host, port, path: '/metrics' }),
  });
}

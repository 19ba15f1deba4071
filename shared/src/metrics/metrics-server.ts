import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { sideServer, type SideServer } from '../http/index.js';
import type { ReadinessReport } from '../health/index.js';
import type { Logger } from '../logging/index.js';

/** Options of a metrics server. */
export interface MetricsServerOptions {
  registry: Registry;
  /** Interface to bind, e.g. 0.0.0.0 or 127.0.0.1. */
  host: string;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
  /** What `GET /readyz` reports (see shared/src/health); without it, /readyz answers as /healthz does. */
  readiness?: () => Promise<ReadinessReport>;
}

/** A listening metrics endpoint: `GET /metrics` in the Prometheus text format. */
export type MetricsServer = SideServer;

/**
 * Serves a service's registry at `GET /metrics`, `GET /healthz` (the process answers) and `GET /readyz` (200 when
 * every readiness check passes, 503 with the reasons otherwise) on a port of its own: a private port, so the
 * reasons (which dependency is down) may be named. A collector that fails answers 500 with the reason, never a
 * partial page.
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
    } else if (req.method === 'GET' && path === '/readyz') {
      const { readiness } = options;
      (readiness ? readiness() : Promise.resolve({ ready: true, checks: {} })).then(
        (report) => {
          res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: report.ready ? 'ready' : 'not ready', checks: report.checks }));
        },
        (error: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'not ready', error: (error as Error).message }));
        },
      );
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

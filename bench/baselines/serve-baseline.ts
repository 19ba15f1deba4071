import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Runs a baseline server as the bench expects: keep-alive as long as the load's, listening on PORT (or a free
 * port) on loopback, prints {"msg":"listening","port":N}, and closes every connection on SIGTERM.
 */
export function serveBaseline(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port }));
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

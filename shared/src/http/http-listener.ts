import type { Server } from 'node:http';

/** Listens on `port` (0 picks a free one) and `host`; rejects with the bind error (EADDRINUSE ...). */
export async function listen(server: Server, port: number, host?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What a small side server (metrics, admin) offers its service: start, stop, and the port it got. */
export interface SideServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The port actually listened on (useful with port 0). */
  port(): number;
}

/**
 * Start and stop for a server whose requests are short reads (metrics, admin): `start` listens on `port` and
 * `host` then calls `onListening` with the port it got; `stop` stops accepting and cuts every open connection.
 */
export function sideServer(server: Server, options: { port: number; host: string; onListening: (port: number) => void }): SideServer {
  let listening = false;
  return {
    async start() {
      await listen(server, options.port, options.host);
      listening = true;
      options.onListening(listeningPort(server, options.port));
    },
    async stop() {
      if (!listening) return;
      listening = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    port: () => listeningPort(server, options.port),
  };
}

/** The port a server listens on, or `fallback` before it listens. */
export function listeningPort(server: Server | undefined, fallback: number): number {
  const address = server?.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

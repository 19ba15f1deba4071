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

/** Stops accepting and cuts every open connection: for servers whose requests are short reads (metrics, admin). */
export async function closeNow(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The port a server listens on, or `fallback` before it listens. */
export function listeningPort(server: Server | undefined, fallback: number): number {
  const address = server?.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { listen, listeningPort } from '../../shared/src/index.js';

/** A load balancer for tests: routes only to backends whose GET /readyz answered 200 at its last poll. */
export interface ReadyBalancer {
  url: string;
  /** Registers a backend (its base URL); it gets traffic once its /readyz answers 200. */
  add(backend: string): void;
  /** Deregisters a backend, as service discovery does once its process is gone. */
  remove(backend: string): void;
  /** Whether the last poll found `backend` ready. */
  isReady(backend: string): boolean;
  /** What the last poll of `backend` got: its status and body, or the error (for a failure's message). */
  lastAnswer(backend: string): string;
  /** Requests forwarded to each backend so far. */
  routed: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts a balancer on a free loopback port. It polls every backend's /readyz every `pollMs` (as a cloud load
 * balancer's health check does, only faster; each poll waits up to 2 s, longer than a service's own 1.5 s deadline
 * per check, so that a slow dependency is seen as the service's 503 with its reason) and sends each request to the
 * next ready backend, round robin, over a new connection (no keep-alive, so a reused idle socket can never be what refuses a request). With no backend
 * ready it answers 503 `NO_READY_BACKEND`; a backend that fails the request is answered 502 `BACKEND_FAILED`. It
 * never retries: every refusal reaches the client.
 */
export async function startReadyBalancer(options: { pollMs?: number } = {}): Promise<ReadyBalancer> {
  const pollMs = options.pollMs ?? 100;
  // Each backend with what its last poll found: ready or not, and the answer (for a failure's message).
  const backends = new Map<string, { ready: boolean; answer: string }>();
  const routed = new Map<string, number>();
  let next = 0;
  let stopped = false;

  const poll = async (backend: string) => {
    let ready = false;
    let answer: string;
    try {
      const response = await fetch(`${backend}/readyz`, { signal: AbortSignal.timeout(2000) });
      ready = response.status === 200;
      answer = `${response.status} ${await response.text()}`;
    } catch (error) {
      ready = false;
      answer = `no answer: ${error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error)}`;
    }
    if (backends.has(backend)) backends.set(backend, { ready, answer });
  };
  const polling = (async () => {
    while (!stopped) {
      await Promise.all([...backends.keys()].map(poll));
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();

  const answer = (res: import('node:http').ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const ready = [...backends].filter(([, last]) => last.ready).map(([backend]) => backend);
      const backend = ready[next++ % Math.max(1, ready.length)];
      if (!backend) return answer(res, 503, 'NO_READY_BACKEND', 'no backend is ready');
      routed.set(backend, (routed.get(backend) ?? 0) + 1);
      const target = new URL(req.url ?? '/', backend);
      const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host, connection: 'close' }, agent: false }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      });
      forward.on('error', (error) => answer(res, 502, 'BACKEND_FAILED', `${backend}: ${error.message}`));
      forward.end(Buffer.concat(chunks));
    });
  });
  await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${listeningPort(server, 0)}`,
    add: (backend) => {
      backends.set(backend, { ready: false, answer: 'not polled yet' });
      void poll(backend);
    },
    remove: (backend) => void backends.delete(backend),
    isReady: (backend) => backends.get(backend)?.ready === true,
    lastAnswer: (backend) => backends.get(backend)?.answer ?? 'not registered',
    routed,
    async stop() {
      stopped = true;
      await polling;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

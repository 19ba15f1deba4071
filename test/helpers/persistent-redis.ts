import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ThrowawayServer } from './throwaway-server.js';
import { waitFor } from './wait-for.js';

/**
 * A Redis of the test's own, with every write fsynced to its append-only file, so that the test may kill and
 * restart it (the machine's Redis keeps nothing on disk and is not the test's to restart).
 */
export class PersistentRedis extends ThrowawayServer {
  constructor(readonly port: number) {
    super();
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.dir ||= await mkdtemp(join(tmpdir(), 'redis-'));
    this.child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction',
    ], { stdio: 'ignore' });
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(async () => {
        await probe.connect().catch(() => undefined);
        return (await probe.ping().catch(() => undefined)) === 'PONG';
      }, { timeoutMs: 20_000, description: `redis-server on ${this.port}` });
    } finally {
      probe.disconnect();
    }
  }
}

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * Stops and starts the local stack's Kafka broker through the project's own scripts (by recorded pid). Only a
 * broker that `make stack-up` started can be stopped: a test never touches a server it did not start.
 */
export const localKafka = {
  assertOwned(): void {
    if (!existsSync(join(root, '.stack', 'run', 'kafka.pid'))) {
      throw new Error('this test stops and restarts Kafka: it needs the broker started by `make stack-up` (.stack/run/kafka.pid)');
    }
  },
  async stop(): Promise<void> {
    await run(join(root, 'scripts', 'stack-down.sh'), { env: { ...process.env, STACK_SERVICES: 'kafka' } });
  },
  async start(): Promise<void> {
    await run(join(root, 'scripts', 'stack-up.sh'), { env: process.env, timeout: 180_000 });
  },
};

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * Stops and starts the local stack's Kafka broker and registry through the project's own scripts (by recorded
 * pid). Only servers that `make stack-up` started can be stopped: a test never touches a server it did not start.
 */
export const localKafka = {
  assertOwned(): void {
    for (const name of ['kafka', 'registry']) {
      if (!existsSync(join(root, '.stack', 'run', `${name}.pid`))) {
        throw new Error(`this test stops and restarts ${name}: it needs it started by \`make stack-up\` (.stack/run/${name}.pid)`);
      }
    }
  },
  /** kill -9 of the broker (by its recorded pid), waiting until it is gone. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(join(root, '.stack', 'run', 'kafka.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    while (existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 100));
  },
  /** Stops and starts the registry through the stack scripts. */
  async stopRegistry(): Promise<void> {
    await run(join(root, 'scripts', 'stack-down.sh'), { env: { ...process.env, STACK_SERVICES: 'registry' } });
  },
  async stop(): Promise<void> {
    await run(join(root, 'scripts', 'stack-down.sh'), { env: { ...process.env, STACK_SERVICES: 'kafka' } });
  },
  async start(): Promise<void> {
    await run(join(root, 'scripts', 'stack-up.sh'), { env: process.env, timeout: 180_000 });
  },
};

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from './service-configs.js';
import { ThrowawayServer } from './throwaway-server.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** The Kafka the local stack fetched (`make stack-up`): its jars, as scripts/lib.sh finds them. */
function kafkaLibs(): string {
  const stackDir = process.env.STACK_DIR ?? join(repoRoot, '.stack');
  const version = process.env.STACK_KAFKA_VERSION ?? /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(join(repoRoot, 'scripts', 'stack', 'pom.xml'), 'utf8'))?.[1];
  const libs = join(stackDir, 'kafka', String(version), 'libs');
  if (!existsSync(libs)) throw new Error(`a throwaway Kafka needs the stack's Kafka ${version} jars in ${libs}: run \`make stack-up\` first (or set STACK_DIR)`);
  return libs;
}

/**
 * A single-node KRaft broker of the test's own, on its own ports and data folder, from the stack's jars: the test may
 * pause it (it stops answering), kill it and start it again. The shared Kafka is never touched.
 */
export class ThrowawayKafka extends ThrowawayServer {
  constructor(
    readonly port: number,
    private readonly controllerPort: number,
  ) {
    super();
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Formats the data folder the first time, starts the broker and waits until it answers a metadata request. */
  async start(): Promise<void> {
    const libs = kafkaLibs();
    const java = ['-cp', `${libs}/*`, `-Dlog4j.configuration=file:${join(repoRoot, 'scripts', 'stack', 'kafka', 'log4j-tools.properties')}`];
    const conf = join((this.dir ||= await mkdtemp(join(tmpdir(), 'kafka-'))), 'server.properties');
    if (!existsSync(conf)) {
      const template = readFileSync(join(repoRoot, 'scripts', 'stack', 'kafka', 'server.properties'), 'utf8');
      const filled = template.replaceAll('@DATA_DIR@', join(this.dir, 'data')).replaceAll('@PORT@', String(this.port)).replaceAll('@CONTROLLER_PORT@', String(this.controllerPort));
      // A placeholder left would be taken literally (a data folder named @DATA_DIR@ in the working directory).
      const left = /@[A-Z_]+@/.exec(filled);
      if (left) throw new Error(`scripts/stack/kafka/server.properties has a placeholder the throwaway Kafka does not fill: ${left[0]}`);
      await writeFile(conf, filled);
      await run('java', ['-Xmx256m', ...java, 'kafka.tools.StorageTool', 'format', '-t', randomBytes(16).toString('base64url'), '-c', conf], { timeout: 60_000 });
    }
    const log = openSync(join(this.dir, 'kafka.log'), 'a');
    this.child = spawn('java', ['-Xms128m', '-Xmx384m', '-XX:+UseG1GC', ...java, 'kafka.Kafka', conf], { stdio: ['ignore', log, log] });
    closeSync(log);
    const kafka = new Kafka({ clientId: 'throwaway-probe', brokers: [this.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
    await waitFor(
      async () => {
        const admin = kafka.admin();
        try {
          await admin.connect();
          return (await admin.describeCluster()).brokers.length > 0;
        } finally {
          await admin.disconnect();
        }
      },
      { timeoutMs: 90_000, intervalMs: 250, description: `the throwaway Kafka on ${this.brokers} (log: ${join(this.dir, 'kafka.log')})` },
    );
  }
}

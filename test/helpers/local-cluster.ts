import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Admin } from 'kafkajs';
import { waitFor } from './wait-for.js';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);
const pidFile = (node: number) => join(root, '.stack', 'run', `kafka-${node}.pid`);

/**
 * The local KRaft cluster of `make stack-up KAFKA_NODES=3`, driven through the project's own scripts (by recorded
 * pid): a test only ever kills, stops or starts nodes that the stack scripts started.
 */
export const localCluster = {
  /** The node ids of the cluster (1..KAFKA_NODES). */
  nodes(): number[] {
    const count = Number(process.env.STACK_KAFKA_NODES ?? process.env.KAFKA_NODES ?? 0);
    return Array.from({ length: count }, (_, i) => i + 1);
  },
  assertOwned(minimum: number): void {
    const nodes = localCluster.nodes();
    if (nodes.length < minimum || !nodes.every((node) => existsSync(pidFile(node)))) {
      throw new Error(`this suite kills and restarts Kafka nodes: it needs a cluster of ${minimum}+ nodes started by \`make stack-up KAFKA_NODES=${minimum}\` (KAFKA_NODES set, .stack/run/kafka-N.pid)`);
    }
  },
  /** kill -9 of one node (by its recorded pid), waiting until the process is gone. */
  async kill(node: number): Promise<void> {
    const pid = Number(readFileSync(pidFile(node), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${pid}`), { timeoutMs: 30_000, description: `kafka-${node} (pid ${pid}) to be gone` });
  },
  /** A graceful stop of one node (SIGTERM: controlled shutdown, leaderships handed over first). */
  async stop(node: number): Promise<void> {
    await run(join(root, 'scripts', 'stack-down.sh'), { env: { ...process.env, STACK_SERVICES: `kafka-${node}` }, timeout: 120_000 });
  },
  /** Starts one node, or every node that is not running (stack-up leaves running ones alone), and waits for its port. */
  async start(node?: number): Promise<void> {
    const only = node === undefined ? {} : { STACK_SERVICES: `kafka-${node}` };
    await run(join(root, 'scripts', 'stack-up.sh'), { env: { ...process.env, ...only }, timeout: 240_000 });
  },
  /** The node id of the active controller (the KRaft quorum's leader), asked of the controllers. */
  async activeController(): Promise<number> {
    const { stdout } = await run(join(root, 'scripts', 'kafka-controller.sh'), { env: process.env, timeout: 60_000 });
    return Number(stdout.trim());
  },
};

/** The partition of `topic` with the most records, and the node that leads it. */
export async function busiestPartition(admin: Admin, topic: string): Promise<{ partition: number; leader: number; records: number }> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const busiest = offsets.reduce((a, b) => (Number(b.high) - Number(b.low) > Number(a.high) - Number(a.low) ? b : a));
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partition = metadata.topics[0]?.partitions.find((p) => p.partitionId === busiest.partition);
  if (!partition) throw new Error(`no metadata for ${topic}[${busiest.partition}]`);
  return { partition: busiest.partition, leader: partition.leader, records: Number(busiest.high) - Number(busiest.low) };
}

/** Waits until every partition of `topics` has a leader and all its replicas in sync (ISR = replicas). */
export async function waitForFullIsr(admin: Admin, topics: string[], timeoutMs = 180_000): Promise<void> {
  let lagging = '';
  await waitFor(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const behind = metadata.topics.flatMap((t) =>
        t.partitions.filter((p) => p.leader < 0 || p.isr.length < p.replicas.length).map((p) => `${t.name}[${p.partitionId}] isr ${p.isr.join(',')} of ${p.replicas.join(',')}`),
      );
      lagging = behind.slice(0, 3).join('; ');
      return behind.length === 0;
    },
    { timeoutMs, intervalMs: 500, description: 'every replica in sync' },
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; behind: ${lagging || 'no metadata yet'}`);
  });
}

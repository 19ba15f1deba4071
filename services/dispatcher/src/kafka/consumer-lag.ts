import type { Admin } from 'kafkajs';

/** How far a consumer group is behind on one partition, in records. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * The group's lag on every partition of `topics`: the high watermark minus the committed offset (or minus the
 * log start when nothing is committed yet, since a new group reads from the beginning). Read from the broker,
 * so it stays true while a dispatcher is stuck or gone, whichever replica reports it.
 */
export async function readConsumerLag(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const [committed, ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics }),
    Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))),
  ]);
  const rows: PartitionLag[] = [];
  for (const { topic, offsets } of ends) {
    const group = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of offsets) {
      const commit = Number(group.find((p) => p.partition === end.partition)?.offset ?? -1);
      const from = commit >= 0 ? commit : Number(end.low);
      rows.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
    }
  }
  return rows;
}

import { strict as assert } from 'node:assert';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { enqueueDispatches } from '../../../services/dispatcher/src/dispatch-record.js';
import { meetingIndexKey, nextBases, priorityOf, type ArchiveJobData, type ExpiryPriorities, type PriorityBases } from '../../../shared/src/index.js';

const job = (id: string, meetingId: string, expiresAt: number | null): ArchiveJobData => ({
  artifact: { jobId: id, kind: 'chat', organizationId: 'org', meetingId, sessionId: id, recordingId: null },
  url: `https://bucket.s3.amazonaws.com/${id}`,
  expiresAt,
  sourceEvent: 'meeting.chatSynced',
  deliveryId: `d-${id}`,
  expectedBytes: null,
});

/** In-memory stand-ins that record what the dispatcher asks of BullMQ and Redis. */
function fakes() {
  const added: { name: string; data: ArchiveJobData; opts: { jobId?: string; priority?: number } }[] = [];
  const indexed: [string, string][] = [];
  const bases = nextBases(undefined, Date.UTC(2026, 0, 1, 10, 0));
  const settled: { jobIds: string[]; used: PriorityBases }[] = [];
  const priorities: ExpiryPriorities = {
    current: async () => bases,
    settle: async (jobIds, used) => void settled.push({ jobIds, used }),
    reprioritize: async () => undefined,
  };
  const multi = {
    sadd(key: string, id: string) {
      indexed.push([key, id]);
      return multi;
    },
    expire() {
      return multi;
    },
    exec: async () => [],
  };
  return {
    added,
    indexed,
    bases,
    settled,
    target: {
      priorities,
      queue: { addBulk: async (jobs: typeof added) => void added.push(...jobs) } as unknown as Queue<ArchiveJobData>,
      parked: { addBulk: async () => undefined } as unknown as Queue,
      redis: { multi: () => multi } as unknown as Redis,
      archiveQueue: 'q',
      jobAttempts: 5,
    },
  };
}

describe('enqueueDispatches', () => {
  it('when a batch holds links, then they are added earliest expiry first, a link without expiry last, each with the priority of its expiry, and settled', async () => {
    const minute = Date.UTC(2026, 0, 1, 10, 0) * 1000;
    const { added, target, bases, settled } = fakes();
    await enqueueDispatches(target, [job('late', 'm', minute + 50e6), job('never', 'm', null), job('early', 'm', minute + 5e6), job('mid', 'm', minute + 20e6)], []);
    assert.deepEqual(added.map((a) => a.opts.jobId), ['early', 'mid', 'late', 'never']);
    assert.deepEqual(added.map((a) => a.opts.priority), [minute + 5e6, minute + 20e6, minute + 50e6, null].map((e) => priorityOf(e, bases)));
    assert.ok(added[0]!.opts.priority! < added[1]!.opts.priority!, 'seconds apart, distinct priorities');
    assert.deepEqual(settled, [{ jobIds: ['early', 'mid', 'late', 'never'], used: bases }], 'settled with the bases it used, after the add');
  });

  it('when jobs are added, then each is first noted under its meeting', async () => {
    const { indexed, target } = fakes();
    await enqueueDispatches(target, [job('a', 'm1', null), job('b', 'm2', null)], []);
    assert.deepEqual(indexed, [
      [meetingIndexKey('q', 'm1'), 'a'],
      [meetingIndexKey('q', 'm2'), 'b'],
    ]);
  });
});

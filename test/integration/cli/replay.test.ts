import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, openArchiveQueues } from '../../../shared/src/index.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { testConfig } from '../../helpers/test-config.js';

/** The sum of the end offsets of a topic's partitions. */
async function endOffsets(ingress: IngressUnderTest, topic: string): Promise<number> {
  const admin = ingress.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('dyte-bridge replay, against real Kafka, registry and Redis', () => {
  let ingress: IngressUnderTest;
  let env: Record<string, string>;
  let redis: Redis;
  let dir: string;

  before(async () => {
    ingress = await startIngress();
    dir = mkdtempSync(join(tmpdir(), 'cli-replay-'));
    env = archiveFleetEnv(ingress, dir);
    redis = createRedis(testConfig.redisUrl);
  });
  after(async () => {
    await ingress.stop();
    await dropArchiveQueues(env?.ARCHIVE_QUEUE);
    await redis?.quit();
  });

  it('when a file of raw webhooks is replayed, then each valid one lands on its topic as the ingress would write it, and the bad one is named', async () => {
    const uuid = randomUUID();
    const file = join(dir, 'webhooks.json');
    const livestream = { ...fixture('domain', 'livestreaming-rtk') };
    writeFileSync(file, JSON.stringify([{ headers: { 'dyte-uuid': uuid }, body: fixture('seed', 'meeting-started') }, livestream, 42]));
    const meetingTopic = `${ingress.topicPrefix}meeting`;
    const liveTopic = `${ingress.topicPrefix}livestreaming`;
    const before = [await endOffsets(ingress, meetingTopic), await endOffsets(ingress, liveTopic)];

    const dry = await runCli(['replay', 'webhooks', file, '--dry-run'], env);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stdout, /dry run: would publish 2 webhook\(s\)/);
    assert.deepEqual([await endOffsets(ingress, meetingTopic), await endOffsets(ingress, liveTopic)], before, 'a dry run publishes nothing');

    const run = await runCli(['replay', 'webhooks', file], env);
    assert.equal(run.code, 1, 'one entry was not a webhook');
    assert.match(run.stderr, /webhooks\.json\[2\]: not a JSON object/);
    assert.match(run.stdout, /published 2 webhook\(s\)/);
    assert.deepEqual([await endOffsets(ingress, meetingTopic), await endOffsets(ingress, liveTopic)], [before[0]! + 1, before[1]! + 1]);

    const tail = await runCli(['tail', 'meeting', '--from-beginning', '--max', '1'], env);
    const record = JSON.parse(tail.stdout) as { record: string; headers: Record<string, string> };
    assert.equal(record.record, 'io.dytebridge.dyte.MeetingStarted');
    assert.equal(record.headers['delivery-id'], uuid);
    assert.ok(record.headers['replayed-at'], 'a replayed record says so');
    const live = await runCli(['tail', 'livestreaming', '--from-beginning', '--max', '1'], env);
    assert.doesNotMatch(live.stdout, /streamKey|live_sk/i, 'the stream key never reaches Kafka, replayed or not');
  });

  it('when archive jobs are replayed from the topics with no dispatcher running, then the jobs appear once, and a parked record can be requeued', async () => {
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    const chat = { ...fixture('seed', 'meeting-chatSynced'), meetingId, sessionId, chatDownloadUrl: 'http://127.0.0.1:9/chat.csv', chatDownloadUrlExpiry: new Date(Date.now() + 3600_000).toISOString() };
    const { chatDownloadUrl: _dropped, ...noLink } = { ...chat, sessionId: randomUUID() };
    assert.equal((await postWebhook(ingress, chat)).status, 202);
    assert.equal((await postWebhook(ingress, noLink)).status, 202);
    const queues = openArchiveQueues(redis, env.ARCHIVE_QUEUE!);
    const { archive: queue, parked } = queues;
    try {
      const dry = await runCli(['replay', 'archive', '--dry-run'], env);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /1 artifact job\(s\), dry run: would add 1, 0 already known; 1 parked/);
      assert.equal(await queue.getJob(`chat.${sessionId}`), undefined);

      const run = await runCli(['replay', 'archive', '--topic', 'meeting'], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /1 artifact job\(s\), added 1, 0 already known; 1 parked/);
      assert.ok(await queue.getJob(`chat.${sessionId}`), 'the job was added');
      assert.equal(await parked.count(), 1);

      const again = await runCli(['replay', 'archive', '--topic', 'meeting'], env);
      assert.match(again.stdout, /added 0, 1 already known/);
      assert.equal(await queue.count(), 1, 'a second replay adds nothing');

      const status = await runCli(['archive', 'status', meetingId], env);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^pending +chat +chat\.\S+ +(59m|1h 0m) \d*s? ?left/m);

      // A record an older dispatcher parked by mistake goes back to the queue; the one without a link stays.
      const [stillParked] = await parked.getWaiting(0, 0);
      const wrong = { ...(stillParked!.data as { topic: string; partition: number; offset: string }) };
      const good = await runCli(['tail', 'meeting', '--from-beginning', '--max', '3'], env);
      const goodRecord = good.stdout.trim().split('\n').map((l) => JSON.parse(l) as { partition: number; offset: string; value: { sessionId: string } }).find((r) => r.value.sessionId === sessionId)!;
      await queue.remove(`chat.${sessionId}`);
      await parked.add('parked', { topic: wrong.topic, partition: goodRecord.partition, offset: goodRecord.offset, reason: 'old bug' }, { jobId: `${wrong.topic}.${goodRecord.partition}.${goodRecord.offset}` });
      const requeue = await runCli(['requeue', '--parked'], env);
      assert.equal(requeue.code, 1, 'the record without a link stays parked');
      assert.match(requeue.stdout, /unparked .*: 1 job\(s\)/);
      assert.match(requeue.stderr, /still parked: meeting\.chatSynced/);
      assert.ok(await queue.getJob(`chat.${sessionId}`), 'the unparked record gave its job again');
      assert.equal(await parked.count(), 1);
    } finally {
      await queues.close();
    }
  });
});

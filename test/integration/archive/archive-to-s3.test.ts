import { strict as assert } from 'node:assert';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, watchArchive } from '../../helpers/archive-watcher.js';
import { postWebhook, startIngress } from '../../helpers/ingress-under-test.js';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { localS3 } from '../../helpers/local-s3.js';
import { repoRoot } from '../../helpers/service-configs.js';
import { spawnService } from '../../helpers/spawn-service.js';

describe('archiver with an S3-compatible store (S3Proxy, a real S3 API)', function () {
  this.timeout(300_000);

  it('when a chat and a 40 MB recording are archived to a bucket, then the objects appear whole, with the source SHA-256, and the chat is read back from the bucket onto the chat topic', async () => {
    const server = await new ArtifactServer().start();
    const ingress = await startIngress();
    const staging = await mkdtemp(join(tmpdir(), 'archive-s3-'));
    const bucket = await localS3.createBucket();
    const env = archiveFleetEnv(ingress, staging, localS3.env(bucket), server);
    const dispatcher = spawnService('dispatcher', env);
    const downloader = spawnService('downloader', env);
    const archive = await watchArchive(ingress.kafka, `${env.TOPIC_PREFIX}archive`, ingress.plainRegistry);
    const s3 = localS3.client();
    try {
      await Promise.all([dispatcher.waitForLog('consuming'), downloader.waitForLog('downloading')]);
      const meetingId = randomUUID();
      const sessionId = randomUUID();
      const recordingId = randomUUID();
      server.addContent(`${sessionId}/chat.csv`, readFileSync(join(repoRoot, 'samples', 'artifacts', 'chat.csv')), 'text/csv');
      server.add(`${recordingId}/rec.mp4`, { size: 40 * 1024 * 1024, contentType: 'video/mp4' });
      const chat = server.url(`${sessionId}/chat.csv`);
      const video = server.url(`${recordingId}/rec.mp4`);
      await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: chat.url, chatDownloadUrlExpiry: dyteTimestamp(chat.expiresAt), organizedBy: { id: 'org-1', name: 'o' } });
      await postWebhook(ingress, {
        event: 'recording.statusUpdate',
        recording: { id: recordingId, meetingId, organizationId: 'org-1', roomUUID: sessionId, status: 'UPLOADED', downloadUrl: video.url, downloadUrlExpiry: dyteTimestamp(video.expiresAt) },
      });
      for (const [jobId, file, key] of [
        [`chat.${sessionId}`, `${sessionId}/chat.csv`, `dyte/org-1/${meetingId}/${sessionId}/chat.csv`],
        [`recording.${recordingId}`, `${recordingId}/rec.mp4`, `dyte/org-1/${meetingId}/${sessionId}/recording-${recordingId}.mp4`],
      ] as const) {
        const result = await archive.waitFor(jobId, 120_000);
        assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
        assert.equal(result.value.location, `s3://${bucket}/${key}`);
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const hash = createHash('sha256');
        for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
        assert.equal(hash.digest('hex'), server.sha256(file), `${key} has the source SHA-256`);
      }
      // The chat's messages were read back from the bucket (not the staging folder) and published.
      const chatResult = await archive.waitFor(`chat.${sessionId}`);
      assert.deepEqual([chatResult.value.stream, chatResult.value.streamedRecords], ['COMPLETE', 8]);
      const messages = await consumeMessages(ingress.kafka, `${env.TOPIC_PREFIX}chat`, 8);
      assert.deepEqual(messages.map((m) => m.key?.toString()), Array(8).fill(sessionId));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      // S3Proxy's filesystem backend lists its folders as `.../` keys: only files count.
      const files = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((key) => !key.endsWith('/'));
      assert.equal(files.length, 2, `only the two complete objects are in the bucket: ${files.join(', ')}`);
    } finally {
      s3.destroy();
      await archive.stop();
      await Promise.all([dispatcher.stop(), downloader.stop()]);
      await ingress.stop();
      await server.close();
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(staging, { recursive: true, force: true });
    }
  });

  it('when the bucket does not exist, then the downloader refuses to start, naming the bucket', async () => {
    const staging = await mkdtemp(join(tmpdir(), 'archive-s3-'));
    const downloader = spawnService('downloader', { ...localS3.env('no-such-bucket-here'), ARCHIVE_DIR: staging, ARCHIVE_QUEUE: 'unused' });
    try {
      const line = await downloader.waitForLog('start failed');
      assert.match(JSON.stringify(line), /archive bucket no-such-bucket-here is not usable/);
      assert.equal(await downloader.stop(), 1);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
});

import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, watchArchive } from '../../helpers/archive-watcher.js';
import { postWebhook, startIngress } from '../../helpers/ingress-under-test.js';
import { spawnService } from '../../helpers/spawn-service.js';
import { waitFor, within } from '../../helpers/wait-for.js';

describe('archiver at scale: two dispatchers and two downloaders', function () {
  this.timeout(300_000);

  it('when 24 artifacts arrive, then the processes share the work and each artifact is archived exactly once', async () => {
    const server = await new ArtifactServer().start();
    const ingress = await startIngress();
    const archiveDir = await mkdtemp(join(tmpdir(), 'archive-scale-'));
    const env = archiveFleetEnv(ingress, archiveDir, { DOWNLOAD_CONCURRENCY: '2' }, server);
    const services = [spawnService('dispatcher', env), spawnService('dispatcher', env), spawnService('downloader', env), spawnService('downloader', env)];
    // Each step bounded, so that a hang names its step instead of reaching mocha's timeout with no message.
    const archive = await within(watchArchive(ingress.kafka, `${env.TOPIC_PREFIX}archive`, ingress.plainRegistry), 60_000, 'the archive watcher to join its group');
    try {
      await Promise.all(services.map((s, i) => s.waitForLog(i < 2 ? 'consuming' : 'downloading')));
      const sessions = Array.from({ length: 24 }, () => randomUUID());
      for (const sessionId of sessions) {
        server.add(`${sessionId}/chat.csv`, { size: 512 * 1024, bytesPerSecond: 2 * 1024 * 1024 });
        const { url, expiresAt } = server.url(`${sessionId}/chat.csv`);
        const body = { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: url, chatDownloadUrlExpiry: dyteTimestamp(expiresAt) };
        assert.equal((await within(postWebhook(ingress, body), 30_000, `the ingress to answer the webhook of session ${sessionId}`)).status, 202);
      }
      await waitFor(() => sessions.every((s) => archive.about(`chat.${s}`).length > 0), { timeoutMs: 120_000, description: 'all 24 archived' });
      for (const sessionId of sessions) {
        const results = archive.about(`chat.${sessionId}`);
        assert.deepEqual(results.map((r) => r.type), ['ArtifactArchived'], sessionId);
        assert.equal(results[0]?.value.sha256, server.sha256(`${sessionId}/chat.csv`));
        assert.equal(server.requests(`${sessionId}/chat.csv`).length, 1, 'downloaded once');
      }
      const worked = (i: number, message: string) => services[i]?.lines.filter((l) => l.includes(`"msg":"${message}"`)).length ?? 0;
      const countWork = () => ({ dispatcher1: worked(0, 'dispatched'), dispatcher2: worked(1, 'dispatched'), downloader1: worked(2, 'archived'), downloader2: worked(3, 'archived') });
      // A downloader logs "archived" just after its result is on Kafka: the last line may still be on its way.
      const counts = await waitFor(() => {
        const now = countWork();
        return now.downloader1 + now.downloader2 >= 24 && now;
      }, { timeoutMs: 10_000, description: '24 "archived" log lines' }).catch(() => countWork());
      console.log(`      work shared: ${JSON.stringify(counts)}`);
      assert.ok(Object.values(counts).every((n) => n > 0), `every process did some of the work: ${JSON.stringify(counts)}`);
      assert.equal(counts.downloader1 + counts.downloader2, 24);
    } finally {
      await archive.stop();
      await Promise.all(services.map((s) => s.stop()));
      await ingress.stop();
      await server.close();
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});

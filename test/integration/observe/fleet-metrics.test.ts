import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, type ArchiveWatcher } from '../../helpers/archive-watcher.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { metricsUrlOf, scrape } from '../../helpers/scrape-metrics.js';
import { createSigningKey } from '../../../shared/src/index.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('ingress metrics: served on a port of their own, not on the public webhook port', function () {
  this.timeout(60_000);

  it('when GET /metrics is asked on the webhook port, then it answers 404, and the metrics port serves the ingress metrics', async () => {
    const ingress = await startIngress();
    try {
      const onWebhookPort = await fetch(`${ingress.url}/metrics`);
      assert.equal(onWebhookPort.status, 404, 'the webhook port does not serve metrics');
      assert.equal(((await onWebhookPort.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
      assert.equal((await postWebhook(ingress, { event: 'meeting.started' }, { signature: null })).status, 401);

      assert.notEqual(new URL(ingress.metricsUrl).port, new URL(ingress.url).port);
      const metrics = await scrape(ingress.metricsUrl);
      assert.equal(metrics.sum('dyte_ingress_webhooks_total', { event: 'none', outcome: 'SIGNATURE_MISSING' }), 1, 'the rejected webhook is counted');
      assert.equal(metrics.find('dyte_ingress_pending_records').length, 1);
      assert.equal(metrics.find('process_resident_memory_bytes').length, 1, 'process metrics are exported');
      assert.equal((await fetch(ingress.metricsUrl.replace('/metrics', '/webhooks/dyte'), { method: 'POST', body: '{}' })).status, 404, 'the metrics port takes no webhooks');
    } finally {
      await ingress.stop();
    }
  });

  it('when the ingress stops, then its metrics port is closed too', async () => {
    const ingress = await startIngress();
    const url = ingress.metricsUrl;
    assert.equal((await fetch(url)).status, 200);
    await ingress.stop();
    await assert.rejects(fetch(url), 'nothing listens on the metrics port any more');
  });

  it('when the ingress runs as a process, then it serves its metrics on INGRESS_METRICS_PORT bound to METRICS_HOST, and 404 on INGRESS_PORT', async () => {
    const ingress = spawnService('ingress', {
      TOPIC_PREFIX: `${uniqueName('metrics')}.`,
      TOPIC_PARTITIONS: '1',
      INGRESS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      DYTE_WEBHOOK_PUBLIC_KEY: createSigningKey().publicKeyPem,
    });
    try {
      const webhookPort = (await ingress.waitForLog('listening')).port;
      const line = await ingress.waitForLog('metrics listening');
      assert.equal(line.host, '127.0.0.1');
      assert.notEqual(line.port, webhookPort);
      assert.ok((await scrape(await metricsUrlOf(ingress))).find('dyte_ingress_pending_records').length === 1);
      assert.equal((await fetch(`http://127.0.0.1:${String(webhookPort)}/metrics`)).status, 404);
      await ingress.waitForLog('ready');
      assert.equal(await ingress.stop(), 0, 'a graceful stop');
    } finally {
      await ingress.kill();
    }
  });
});

describe('fleet metrics: the dispatcher and the downloader serve GET /metrics', function () {
  this.timeout(180_000);
  let fleet: ArchiveFleetUnderTest;
  let ingress: IngressUnderTest;
  let server: ArtifactServer;
  let env: Record<string, string>;
  let dispatcher: RunningService;
  let downloader: RunningService;
  let dispatcherUrl: string;
  let downloaderUrl: string;
  let archive: ArchiveWatcher;

  before(async () => {
    fleet = await startArchiveFleet('metrics');
    ({ server, ingress, env, dispatcher, downloader, archive } = fleet);
    [dispatcherUrl, downloaderUrl] = await Promise.all([metricsUrlOf(dispatcher), metricsUrlOf(downloader)]);
  });

  after(async () => {
    await fleet?.stop();
  });

  const chatSynced = (sessionId: string, link: { url: string; expiresAt: Date }) => ({
    event: 'meeting.chatSynced',
    meetingId: randomUUID(),
    sessionId,
    chatDownloadUrl: link.url,
    chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt),
  });

  it('when nothing has been archived yet, then both answer with process metrics, queue counts and no bytes archived', async () => {
    const [d, w] = await Promise.all([scrape(dispatcherUrl), scrape(downloaderUrl)]);
    for (const metrics of [d, w]) {
      assert.ok(metrics.find('process_resident_memory_bytes').length === 1, 'process metrics are exported');
      assert.equal(metrics.sum('dyte_archive_jobs', { queue: env.ARCHIVE_QUEUE as string }), 0, 'a fresh queue has no jobs');
      assert.equal(metrics.find('dyte_archive_jobs', { queue: env.ARCHIVE_QUEUE as string }).length, 5, 'one series per state');
      assert.equal(metrics.sum('dyte_archive_parked_records'), 0);
    }
    assert.equal(w.find('dyte_downloader_archived_total').length, 5, 'each known kind starts at 0, so ratios have a series');
    assert.equal(w.sum('dyte_downloader_archived_bytes_total'), 0);
    const unknown = await fetch(downloaderUrl.replace('/metrics', '/nope'));
    assert.equal(unknown.status, 404);
  });

  it('when one chat is archived and one link has expired, then bytes, outcomes, headroom, records dispatched and lag are reported', async () => {
    const good = randomUUID();
    const late = randomUUID();
    server.add(`${good}/chat.csv`, { size: 20_000, contentType: 'text/csv' });
    server.add(`${late}/chat.csv`, { size: 500 });
    assert.equal((await postWebhook(ingress, chatSynced(good, server.url(`${good}/chat.csv`)))).status, 202);
    assert.equal((await postWebhook(ingress, chatSynced(late, server.url(`${late}/chat.csv`, -1000)))).status, 202);
    assert.equal((await archive.waitFor(`chat.${good}`)).type, 'ArtifactArchived');
    assert.equal((await archive.waitFor(`chat.${late}`)).type, 'ArtifactFailed');

    const w = await scrape(downloaderUrl);
    assert.equal(w.sum('dyte_downloader_archived_bytes_total', { kind: 'chat' }), 20_000, 'bytes archived');
    assert.equal(w.sum('dyte_downloader_archived_total', { kind: 'chat' }), 1);
    assert.equal(w.sum('dyte_downloader_archived_before_expiry_total', { kind: 'chat' }), 1);
    assert.equal(w.sum('dyte_downloader_failed_total', { kind: 'chat', reason: 'EXPIRED' }), 1);
    assert.equal(w.sum('dyte_downloader_download_seconds_count', { kind: 'chat', outcome: 'archived' }), 1);
    assert.equal(w.sum('dyte_downloader_download_seconds_count', { kind: 'chat', outcome: 'failed' }), 1);
    // Two attempts started: one with about an hour left, one with a link already expired (the le="0" bucket).
    assert.equal(w.sum('dyte_downloader_headroom_at_start_seconds_count', { kind: 'chat' }), 2);
    assert.equal(w.sum('dyte_downloader_headroom_at_start_seconds_bucket', { kind: 'chat', le: '0' }), 1);
    assert.equal(w.sum('dyte_downloader_headroom_at_start_seconds_bucket', { kind: 'chat', le: '1800' }), 1);
    assert.equal(w.sum('dyte_downloader_headroom_at_start_seconds_bucket', { kind: 'chat', le: '3600' }), 2);
    const share =
      (w.sum('dyte_downloader_archived_before_expiry_total') ?? 0) /
      ((w.sum('dyte_downloader_archived_total') ?? 0) + (w.sum('dyte_downloader_failed_total') ?? 0));
    assert.equal(share, 0.5, 'the share archived before expiry, as the dashboard computes it');

    // Queue counts are cached for a few seconds at most: wait for the read that sees both jobs finished.
    const queue = env.ARCHIVE_QUEUE as string;
    for (const url of [downloaderUrl, dispatcherUrl]) {
      await waitFor(
        async () => {
          const m = await scrape(url);
          return m.sum('dyte_archive_jobs', { queue, state: 'completed' }) === 1 && m.sum('dyte_archive_jobs', { queue, state: 'failed' }) === 1;
        },
        { timeoutMs: 15_000, intervalMs: 500, description: `${url} to count 1 completed and 1 failed job` },
      );
    }

    const d = await scrape(dispatcherUrl);
    const meetingTopic = `${env.TOPIC_PREFIX}meeting`;
    assert.equal(d.sum('dyte_dispatcher_records_total', { topic: meetingTopic, outcome: 'jobs' }), 2, 'records dispatched');
    assert.equal(d.sum('dyte_dispatcher_jobs_total', { kind: 'chat' }), 2, 'jobs added');
    await waitFor(
      async () => {
        const m = await scrape(dispatcherUrl);
        const partitions = m.find('dyte_dispatcher_consumer_lag', { topic: meetingTopic }).map((s) => s.labels.partition).sort();
        return partitions.join(',') === '0,1,2' && m.sum('dyte_dispatcher_consumer_lag', { topic: meetingTopic }) === 0;
      },
      { timeoutMs: 20_000, intervalMs: 500, description: 'a lag series per partition of the meeting topic, all at 0 once dispatched' },
    );
    assert.equal(d.find('dyte_dispatcher_consumer_lag', { topic: `${env.TOPIC_PREFIX}recording` }).length, 3, 'the recording topic too');
  });

  it('when a download keeps failing and waits for a retry, then the headroom of the pending link is reported', async () => {
    const sessionId = randomUUID();
    server.add(`${sessionId}/chat.csv`, { size: 100, status: 503 });
    const link = server.url(`${sessionId}/chat.csv`, 30 * 60_000);
    assert.equal((await postWebhook(ingress, chatSynced(sessionId, link))).status, 202);
    const headroom = await waitFor(
      async () => (await scrape(downloaderUrl)).sum('dyte_archive_headroom_min_seconds', { queue: env.ARCHIVE_QUEUE as string }),
      { timeoutMs: 30_000, intervalMs: 500, description: 'a headroom gauge for the pending job' },
    );
    assert.ok(headroom > 25 * 60 && headroom <= 30 * 60, `headroom ${headroom} s is what is left of the link's 30 minutes`);
    await waitFor(async () => ((await scrape(downloaderUrl)).sum('dyte_downloader_download_seconds_count', { kind: 'chat', outcome: 'retry' }) ?? 0) >= 1, {
      timeoutMs: 15_000,
      intervalMs: 500,
      description: 'the failed attempt to be timed with outcome "retry"',
    });
  });
});

import { strict as assert } from 'node:assert';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createLogger,
  createRedis,
  createTracing,
  KAFKA_HEADERS,
  openArchiveQueues,
  type ArchiveQueues,
  type Tracing,
} from '../../../shared/src/index.js';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { dyteTimestamp } from '../../helpers/archive-watcher.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook } from '../../helpers/ingress-under-test.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const traceIdOf = (traceparent: unknown) => TRACEPARENT.exec(String(traceparent))?.[1];
const parsedLines = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe('one trace per webhook: request -> Kafka record -> job -> dyte.archive record, and the log lines of each service', function () {
  this.timeout(300_000);
  let fleet: ArchiveFleetUnderTest;
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  let redis: ReturnType<typeof createRedis>;
  let queues: ArchiveQueues;
  let meetingConsumer: Consumer;
  const meetingRecords: KafkaMessage[] = [];
  const ingressLines: string[] = [];

  before(async () => {
    receiver = await new OtlpReceiver().start();
    // The in-process ingress exports like the spawned services: through its config's OTLP endpoint.
    tracing = createTracing({ serviceName: 'dyte-bridge-ingress', otlpTracesUrl: `${receiver.endpoint}/v1/traces` });
    fleet = await startArchiveFleet('tracing', {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
      ingress: { tracing, logger: createLogger({ level: 'debug', name: 'ingress', sink: (line) => ingressLines.push(line) }) },
    });
    redis = createRedis(testConfig.redisUrl);
    queues = openArchiveQueues(redis, fleet.env.ARCHIVE_QUEUE ?? '');
    meetingConsumer = fleet.ingress.kafka.consumer({ groupId: uniqueName('trace-watch'), maxWaitTimeInMs: 100 });
    await meetingConsumer.connect();
    await meetingConsumer.subscribe({ topic: `${fleet.ingress.topicPrefix}meeting`, fromBeginning: true });
    await meetingConsumer.run({ eachMessage: async ({ message }) => void meetingRecords.push(message) });
  });

  after(async () => {
    await meetingConsumer?.disconnect();
    await queues?.close();
    await redis?.quit();
    await fleet?.stop();
    await tracing?.shutdown();
    await receiver?.close();
  });

  /** Posts a chat webhook whose file the artifact server holds; returns the answer and the job id. */
  const postChat = async (headers: Record<string, string>) => {
    const sessionId = randomUUID();
    fleet.server.add(`${sessionId}/chat.csv`, { size: 2_000, contentType: 'text/csv' });
    const link = fleet.server.url(`${sessionId}/chat.csv`);
    const body = { ...fixture('seed', 'meeting-chatSynced'), meetingId: randomUUID(), sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt) };
    const answer = await postWebhook(fleet.ingress, body, { headers });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    return { answer, jobId: `chat.${sessionId}`, deliveryId: String(answer.body.deliveryId) };
  };

  /** Asserts every hop of one webhook carries `traceId`, and returns the traceparent of each hop. */
  const assertOneTrace = async (traceId: string, post: Awaited<ReturnType<typeof postChat>>) => {
    // The ingress's answer names the trace, and its span in the traceresponse header.
    assert.equal(post.answer.body.traceId, traceId);
    assert.equal(traceIdOf(post.answer.headers.get('traceresponse')), traceId);

    // 1. The Kafka record of the webhook: its traceparent header, among the other records of the topic.
    const record = await waitFor(() => meetingRecords.find((message) => message.headers?.[KAFKA_HEADERS.deliveryId.name]?.toString() === post.deliveryId), {
      timeoutMs: 60_000,
      description: `the record of delivery ${post.deliveryId}`,
    });
    const recordTraceparent = record.headers?.[KAFKA_HEADERS.traceparent.name]?.toString();
    assert.equal(traceIdOf(recordTraceparent), traceId, `record header ${recordTraceparent}`);

    // 2. The archive topic's record (value and header), once the downloader is done.
    const result = await fleet.archive.waitFor(post.jobId, 120_000);
    assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
    assert.equal(traceIdOf(result.value.traceparent), traceId, `archive record value ${String(result.value.traceparent)}`);
    assert.equal(result.headers[KAFKA_HEADERS.traceparent.name], result.value.traceparent, 'the header is the value field');

    // 3. The job's data.
    const job = await queues.archive.getJob(post.jobId);
    assert.ok(job, `job ${post.jobId} is kept`);
    assert.equal(traceIdOf(job.data.traceparent), traceId, `job data ${String(job.data.traceparent)}`);

    // Each hop is a span of its own: the record's parent is the ingress span, the job's the dispatch span, the result's
    // the download span, so the ids differ while the trace id stays.
    const spanIds = [recordTraceparent, job.data.traceparent, String(result.value.traceparent)].map((tp) => TRACEPARENT.exec(String(tp))?.[2]);
    assert.equal(new Set(spanIds).size, 3, `three spans: ${spanIds.join(', ')}`);

    // 4. The log lines of each service about this webhook carry the trace id.
    const ingressLine = parsedLines(ingressLines).find((line) => line.msg === 'accepted' && line.deliveryId === post.deliveryId);
    assert.equal(ingressLine?.traceId, traceId, `ingress line ${JSON.stringify(ingressLine)}`);
    const dispatcherLine = await waitFor(
      () => parsedLines(fleet.dispatcher.lines).find((line) => line.msg === 'jobs added' && (line.jobIds as string[]).includes(post.jobId)),
      { description: `the dispatcher's line about ${post.jobId}` },
    );
    assert.equal(dispatcherLine.traceId, traceId, JSON.stringify(dispatcherLine));
    const downloaderLines = parsedLines(fleet.downloader.lines).filter((line) => line.jobId === post.jobId);
    assert.ok(downloaderLines.some((line) => line.msg === 'archived'), `the downloader logged archived: ${JSON.stringify(downloaderLines)}`);
    for (const line of downloaderLines) assert.equal(line.traceId, traceId, JSON.stringify(line));

    // 5. Spans reached the OTLP receiver from all three services, all in this trace.
    const spans = await waitFor(
      () => {
        const services = new Set(receiver.ofTrace(traceId).map((span) => span.service));
        return ['dyte-bridge-ingress', 'dyte-bridge-dispatcher', 'dyte-bridge-downloader'].every((s) => services.has(s)) && receiver.ofTrace(traceId);
      },
      { timeoutMs: 30_000, description: `spans of trace ${traceId} from the three services (got ${JSON.stringify(receiver.spans.slice(-6))}; refused ${receiver.refused.join(', ')})` },
    );
    return spans;
  };

  it("when a signed webhook carries a traceparent, then its record, job, archive result, logs and exported spans all carry that trace id", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const post = await postChat({ traceparent: `00-${traceId}-${callerSpan}-01` });
    const spans = await assertOneTrace(traceId, post);
    // The ingress span is the child of the caller's span; the dispatcher's of the ingress's; the downloader's of the dispatcher's.
    const byService = (service: string) => spans.find((span) => span.service === service);
    assert.equal(byService('dyte-bridge-ingress')?.parentSpanId, callerSpan);
    assert.equal(byService('dyte-bridge-dispatcher')?.parentSpanId, byService('dyte-bridge-ingress')?.spanId);
    assert.equal(byService('dyte-bridge-downloader')?.parentSpanId, byService('dyte-bridge-dispatcher')?.spanId);
  });

  it('when a signed webhook carries no traceparent, or one that breaks the W3C rules, then the ingress starts a trace that every hop carries', async () => {
    const cases: Record<string, string>[] = [{}, { traceparent: `00-${'0'.repeat(32)}-${randomBytes(8).toString('hex')}-01` }, { traceparent: 'not-a-traceparent' }];
    for (const headers of cases) {
      const post = await postChat(headers);
      const traceId = String(post.answer.body.traceId);
      assert.match(traceId, /^[0-9a-f]{32}$/);
      assert.notEqual(traceId, '0'.repeat(32));
      await assertOneTrace(traceId, post);
    }
  });
});

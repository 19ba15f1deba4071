import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Producer } from 'kafkajs';
import {
  archiveSchemaPairs,
  createEventProducer,
  createRegistry,
  KAFKA_HEADERS,
  loadSchemaCatalog,
  registerEventSchemas,
  topicNames,
} from '../../../shared/src/index.js';
import { resultPublisher } from '../../../services/downloader/src/results/result-publisher.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { repoRoot } from '../../helpers/service-configs.js';
import { testConfig } from '../../helpers/test-config.js';

const run = promisify(execFile);
// Debian's python3 with python3-confluent-kafka and python3-avro (make consumer-deps), not a python first on PATH.
const PYTHON = '/usr/bin/python3';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface Line {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  schemaId: number;
  recordName: string;
  record: Record<string, unknown>;
  error?: string;
}

describe('the Python consumer example (examples/python/consume.py) against the real stack', function () {
  this.timeout(120_000);
  let ingress: IngressUnderTest;
  let producer: Producer;

  before(async () => {
    ingress = await startIngress();
    producer = createEventProducer(ingress.kafka);
    await producer.connect();
  });

  after(async () => {
    await producer?.disconnect();
    await ingress?.stop();
  });

  it('when the fleet publishes webhooks and archive results, then it prints every record of every topic decoded with its writer schema', async () => {
    const meetingId = randomUUID();
    const streamId = randomUUID();
    const recordingId = randomUUID();
    const bodies = [
      { ...fixture('seed', 'meeting-started'), meeting: { ...(fixture('seed', 'meeting-started').meeting as object), id: meetingId } },
      { ...fixture('seed', 'livestreaming-statusUpdate'), streamId },
      { ...fixture('seed', 'recording-statusUpdate'), recording: { ...(fixture('seed', 'recording-statusUpdate').recording as object), id: recordingId, recordingId } },
      { event: 'whiteboard.opened', meetingId, board: { pages: 3 } },
    ];
    for (const body of bodies) {
      const answer = await postWebhook(ingress, body, { headers: { traceparent: TRACEPARENT } });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    }
    // An archive result, written as the downloader writes it.
    const topics = topicNames(ingress.topicPrefix);
    const encoder = await registerEventSchemas(createRegistry(testConfig.schemaRegistryUrl), loadSchemaCatalog(), archiveSchemaPairs(topics));
    const artifact = { jobId: `chat.${randomUUID()}`, kind: 'chat', organizationId: null, meetingId, sessionId: null, recordingId: null };
    await resultPublisher(producer, encoder, topics.archive).archived({
      artifact,
      location: 'file:///archive/chat.csv',
      bytes: 4624,
      sha256: 'c'.repeat(64),
      contentType: 'text/csv',
      tookMs: 12,
      attempts: 1,
      linkRefreshes: 0,
      traceparent: TRACEPARENT,
      stream: 'COMPLETE',
      streamedRecords: 8,
      rejectedRows: 1,
      streamProblem: null,
    });

    const { stdout, stderr } = await run(
      PYTHON,
      [join(repoRoot, 'examples/python/consume.py'), '--bootstrap', testConfig.kafkaBrokers.join(','), '--registry', testConfig.schemaRegistryUrl,
        '--topic-prefix', ingress.topicPrefix, '--from-beginning', '--max-records', '5', '--timeout', '90'],
      { timeout: 100_000 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the consumer failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    assert.equal(lines.length, 5, stderr);
    assert.deepEqual(lines.filter((line) => line.error), [], 'every value decoded');
    const on = (role: keyof typeof topics) => lines.filter((line) => line.topic === topics[role]);

    const [started] = on('meeting');
    assert.equal(started?.recordName, 'io.dytebridge.dyte.MeetingStarted');
    assert.equal(started.key, meetingId);
    assert.equal((started.record.meeting as Record<string, unknown>).id, meetingId);
    assert.equal(started.record.event, 'meeting.started');
    assert.match(String((started.record.delivery as Record<string, unknown>).receivedAt), /^\d{4}-\d\d-\d\dT/, 'timestamp-micros as a time');
    assert.equal(started.headers[KAFKA_HEADERS.eventType.name], 'meeting.started');
    assert.equal(started.headers[KAFKA_HEADERS.traceparent.name]?.split('-')[1], TRACEPARENT.split('-')[1], 'the trace of the request');
    assert.ok(started.schemaId > 0);

    const [stream] = on('livestreaming');
    assert.equal(stream?.recordName, 'io.dytebridge.dyte.LivestreamingStatusUpdate');
    assert.equal(stream.record.streamId, streamId);
    const [recording] = on('recording');
    assert.equal(recording?.recordName, 'io.dytebridge.dyte.RecordingStatusUpdate');
    assert.equal((recording.record.recording as Record<string, unknown>).id, recordingId);
    const [raw] = on('unknown');
    assert.equal(raw?.recordName, 'io.dytebridge.dyte.RawEvent');
    assert.deepEqual(JSON.parse(String(raw.record.json)).board, { pages: 3 });

    const [archived] = on('archive');
    assert.equal(archived?.recordName, 'io.dytebridge.dyte.ArtifactArchived');
    assert.deepEqual(archived.record.artifact, artifact);
    assert.equal(archived.record.sha256, 'c'.repeat(64));
    assert.equal(archived.record.traceparent, TRACEPARENT);
    assert.equal(archived.headers[KAFKA_HEADERS.jobId.name], artifact.jobId);
  });
});

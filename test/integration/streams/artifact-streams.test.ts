import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { KafkaMessage } from 'kafkajs';
import { decodeWireRecord, KAFKA_HEADERS, parseTimestampMicros } from '../../../shared/src/index.js';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { dyteTimestamp } from '../../helpers/archive-watcher.js';
import { followMessages, type FollowedTopic } from '../../helpers/consume-messages.js';
import { postWebhook } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { repoRoot } from '../../helpers/service-configs.js';
import { spawnService } from '../../helpers/spawn-service.js';

const ORG = 'c94c437b-592a-4a39-b9e2-47ef1451e43b';
const CHAT_HEADER = 'id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt';
const sample = (name: string) => readFileSync(join(repoRoot, 'samples', 'artifacts', name));
const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();

/** A Dyte chat CSV of `lines` messages, message n on line n + 1, each with `filler` more characters of payload. */
function bigChat(lines: number, sessionId: string, meetingId: string, filler = 0): Buffer {
  const rows = [CHAT_HEADER];
  const words = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(filler / 27)).slice(0, filler);
  for (let n = 1; n <= lines; n++) {
    const at = new Date(Date.UTC(2025, 2, 4, 10) + n * 10).toISOString();
    rows.push(`msg-${n},p${n % 7},${sessionId},${meetingId},Participant ${n % 7},false,false,TEXT_MESSAGE,"message number ${n}, with a comma ${words}",${at}`);
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}

// The downloaders of this suite run with a V8 heap capped below the size of the 100,000-line file: a downloader
// that held the file, or its records, would die of it.
const HEAP_CAP_MIB = 96;
/** STREAM_BATCH_RECORDS's default: records per send, and per progress save. */
const DEFAULT_BATCH_RECORDS = 500;

describe('artifacts as streams: archived chats, transcripts and summaries on dyte.chat and dyte.transcript', function () {
  this.timeout(600_000);
  let fleet: ArchiveFleetUnderTest;
  let chat: FollowedTopic;
  let transcript: FollowedTopic;

  before(async () => {
    fleet = await startArchiveFleet('streams', {
      env: { DOWNLOAD_LOCK_MS: '3000', NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MIB}` },
    });
    chat = await followMessages(fleet.ingress.kafka, `${fleet.env.TOPIC_PREFIX}chat`);
    transcript = await followMessages(fleet.ingress.kafka, `${fleet.env.TOPIC_PREFIX}transcript`);
  });

  after(async () => {
    await chat?.stop();
    await transcript?.stop();
    await fleet?.stop();
  });

  /** Posts the artifact webhooks of a new session whose chat (and transcript, summary) the server serves. */
  const announce = async (files: { chat?: { name: string; content: Buffer }; transcript?: Buffer; summary?: Buffer }, ids = { meetingId: randomUUID(), sessionId: randomUUID() }) => {
    const { meetingId, sessionId } = ids;
    const { server, ingress } = fleet;
    const meeting = { id: meetingId, sessionId, title: 't', status: 'ENDED', organizedBy: { id: ORG, name: 'Dyte' } };
    const bodies: Record<string, unknown>[] = [];
    if (files.chat) {
      server.addContent(`${sessionId}/${files.chat.name}`, files.chat.content);
      const link = server.url(`${sessionId}/${files.chat.name}`);
      bodies.push({ event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt), organizedBy: meeting.organizedBy });
    }
    if (files.transcript) {
      server.addContent(`${sessionId}/transcript.csv`, files.transcript);
      const link = server.url(`${sessionId}/transcript.csv`);
      bodies.push({ event: 'meeting.transcript', meeting, transcriptDownloadUrl: link.url, transcriptDownloadUrlExpiry: dyteTimestamp(link.expiresAt) });
    }
    if (files.summary) {
      server.addContent(`${sessionId}/summary.md`, files.summary);
      const link = server.url(`${sessionId}/summary.md`);
      bodies.push({ event: 'meeting.summary', meeting, summaryDownloadUrl: link.url, summaryDownloadUrlExpiry: dyteTimestamp(link.expiresAt) });
    }
    for (const body of bodies) {
      const answer = await postWebhook(ingress, body);
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    }
    return { meetingId, sessionId };
  };

  /** The ArtifactArchived of `jobId`, once reported. */
  const archived = async (jobId: string, timeoutMs = 120_000) => {
    const result = await fleet.archive.waitFor(jobId, timeoutMs);
    assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
    return result.value;
  };

  /** The messages of `jobId` on a followed topic, decoded with the schema the registry holds for their id (no generated type). */
  const decoded = async (topic: FollowedTopic, jobId: string) => {
    const messages = topic.messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId);
    return Promise.all(
      messages.map(async (message) => ({ message, ...(await decodeWireRecord(fleet.ingress.plainRegistry, message.value as Buffer)) })),
    );
  };

  it("when the seed's chat CSV is archived, then each row is a ChatMessage on dyte.chat, keyed by session id, that a registry-only decoder reads back field by field", async () => {
    const { sessionId, meetingId } = await announce({ chat: { name: 'chat.csv', content: sample('chat.csv') } });
    const jobId = `chat.${sessionId}`;
    const result = await archived(jobId);
    assert.equal(result.stream, 'COMPLETE');
    assert.equal(result.streamedRecords, 8);
    assert.equal(result.rejectedRows, 0);
    await chat.waitUntil((messages) => messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId).length >= 8, `the 8 messages of ${jobId}`);
    const records = await decoded(chat, jobId);
    // The fixture read by another parser than the fleet's: csv-parse's sync API, with the header's names.
    const rows = parse(sample('chat.csv'), { columns: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
    assert.equal(records.length, rows.length);
    records.forEach(({ message, recordName, value }, i) => {
      const { record: row, info } = rows[i] as (typeof rows)[number];
      assert.equal(recordName, 'io.dytebridge.dyte.ChatMessage');
      assert.equal(message.key?.toString(), sessionId, 'keyed by session id');
      assert.equal(header(message, KAFKA_HEADERS.recordId.name), `${jobId}:${info.lines}`);
      assert.equal(header(message, KAFKA_HEADERS.traceparent.name), result.traceparent, 'the span of the attempt that archived it');
      assert.deepEqual({ ...(value.artifact as object) }, { jobId, kind: 'chat', organizationId: ORG, meetingId, sessionId, recordingId: null });
      assert.equal(value.line, info.lines);
      assert.equal(value.format, 'csv');
      for (const column of ['id', 'participantId', 'sessionId', 'meetingId', 'displayName', 'payloadType'] as const) {
        assert.equal(value[column], row[column], `${column} of line ${info.lines}`);
      }
      assert.equal(value.payload, row.payload, `payload of line ${info.lines}`);
      assert.equal(value.pinned, row.pinned === 'true');
      assert.equal(value.isEdited, row.isEdited === 'true');
      // avsc gives timestamp-micros back as a number of microseconds.
      assert.equal(value.createdAt, parseTimestampMicros(row.createdAt as string), `createdAt of line ${info.lines}`);
      assert.equal(value.extraJson, null);
    });
    // The operator's view of the same job: archive status names how its content was published.
    const status = await runCli(['archive', 'status', meetingId, '--json'], { TOPIC_PREFIX: fleet.env.TOPIC_PREFIX as string, ARCHIVE_QUEUE: fleet.env.ARCHIVE_QUEUE as string });
    assert.equal(status.code, 0, status.stderr);
    const listed = (JSON.parse(status.stdout) as { artifacts: { jobId: string; stream?: unknown }[] }).artifacts.find((a) => a.jobId === jobId);
    assert.deepEqual(listed?.stream, { state: 'COMPLETE', records: 8, rejectedRows: 0, problem: null });
  });

  it("when RealtimeKit's JSON chat is archived (under a .csv name: the format is read from the content), then each message round-trips field by field", async () => {
    const { sessionId } = await announce({ chat: { name: 'chat.csv', content: sample('chat-rtk.json') } });
    const jobId = `chat.${sessionId}`;
    const result = await archived(jobId);
    assert.equal(result.stream, 'COMPLETE');
    assert.equal(result.streamedRecords, 3);
    await chat.waitUntil((messages) => messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId).length >= 3, `the 3 messages of ${jobId}`);
    const records = await decoded(chat, jobId);
    const source = JSON.parse(sample('chat-rtk.json').toString('utf8')) as Record<string, unknown>[];
    assert.equal(records.length, source.length);
    records.forEach(({ value }, i) => {
      const element = source[i] as Record<string, unknown>;
      assert.equal(value.line, i + 1);
      assert.equal(value.format, 'json');
      for (const field of ['id', 'participantId', 'sessionId', 'meetingId', 'displayName', 'pinned', 'isEdited', 'payloadType'] as const) {
        assert.equal(value[field], element[field], `${field} of element ${i + 1}`);
      }
      assert.equal(value.payload, typeof element.payload === 'string' ? element.payload : JSON.stringify(element.payload));
      assert.equal(value.createdAt, parseTimestampMicros(element.createdAt as string));
    });
    assert.equal(records[1]?.value.extraJson, '{"channelId":"meeting"}');
  });

  it('when a transcript and a summary are archived, then their lines and bounded text are on dyte.transcript, field by field', async () => {
    const { sessionId } = await announce({ transcript: sample('transcript.csv'), summary: sample('summary.md') });
    const transcriptJob = `transcript.${sessionId}`;
    const summaryJob = `summary.${sessionId}`;
    assert.equal((await archived(transcriptJob)).streamedRecords, 6);
    const summaryResult = await archived(summaryJob);
    assert.equal(summaryResult.streamedRecords, 1);
    await transcript.waitUntil(
      (messages) => messages.filter((m) => [transcriptJob, summaryJob].includes(header(m, KAFKA_HEADERS.jobId.name) ?? '')).length >= 7,
      `the 6 lines and the summary of ${sessionId}`,
    );
    const rows = parse(sample('transcript.csv'), { columns: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
    const segments = await decoded(transcript, transcriptJob);
    assert.equal(segments.length, rows.length);
    segments.forEach(({ message, recordName, value }, i) => {
      const { record: row, info } = rows[i] as (typeof rows)[number];
      assert.equal(recordName, 'io.dytebridge.dyte.TranscriptSegment');
      assert.equal(message.key?.toString(), sessionId);
      assert.deepEqual(
        [value.line, value.timestamp, value.participantId, value.participantName, value.text],
        [info.lines, row.Timestamp, row['Participant ID'], row['Participant Name'], row.Transcript],
      );
    });
    const [summary] = await decoded(transcript, summaryJob);
    assert.equal(summary?.recordName, 'io.dytebridge.dyte.MeetingSummaryText');
    assert.equal(summary?.value.text, sample('summary.md').toString('utf8'));
    assert.equal(summary?.value.truncated, false);
    assert.equal(summary?.value.location, summaryResult.location, 'points at the archived file');
    assert.equal(summary?.value.sha256, summaryResult.sha256);
  });

  it('when dyte-bridge tail chat / tail transcript read the topics, then every record is printed decoded, with its record-id', async () => {
    const env = { TOPIC_PREFIX: fleet.env.TOPIC_PREFIX as string };
    for (const [role, followed, recordNames] of [
      ['chat', chat, ['io.dytebridge.dyte.ChatMessage']],
      ['transcript', transcript, ['io.dytebridge.dyte.TranscriptSegment', 'io.dytebridge.dyte.MeetingSummaryText']],
    ] as const) {
      const expected = followed.messages.length;
      assert.ok(expected > 0, `the tests before put records on ${role}`);
      const tail = await runCli(['tail', role, '--from-beginning', '--max', String(expected)], env);
      assert.equal(tail.code, 0, tail.stderr);
      const lines = tail.stdout.trim().split('\n').map((line) => JSON.parse(line) as { topic: string; record: string; key: string; headers: Record<string, string>; value: Record<string, unknown> });
      assert.equal(lines.length, expected);
      const seen = new Set(followed.messages.map((m) => header(m, KAFKA_HEADERS.recordId.name)));
      for (const line of lines) {
        assert.equal(line.topic, `${env.TOPIC_PREFIX}${role}`);
        assert.ok((recordNames as readonly string[]).includes(line.record), line.record);
        const recordId = line.headers[KAFKA_HEADERS.recordId.name] as string;
        assert.ok(seen.has(recordId), `${recordId} printed`);
        assert.equal(recordId, `${String((line.value.artifact as { jobId: string }).jobId)}:${String(line.value.line)}`);
      }
    }
  });

  it('when a chat has malformed rows, then each is counted on dyte.archive and logged with its line and reason, and every other row is published', async () => {
    const good = (n: number) => `g${n},p,s,m,A,false,false,TEXT_MESSAGE,fine ${n},2025-03-04T10:00:0${n}.000Z`;
    const csv = [CHAT_HEADER, good(1), 'bad-fields,p,s,m,A,false', good(2), 'bad-flag,p,s,m,A,perhaps,false,TEXT_MESSAGE,x,2025-03-04T10:00:00.000Z', good(3), 'bad-time,p,s,m,A,false,false,TEXT_MESSAGE,x,noon', good(4)].join('\n');
    const { sessionId } = await announce({ chat: { name: 'chat.csv', content: Buffer.from(csv) } });
    const jobId = `chat.${sessionId}`;
    const result = await archived(jobId);
    assert.equal(result.stream, 'COMPLETE');
    assert.equal(result.rejectedRows, 3);
    assert.equal(result.streamedRecords, 4);
    await chat.waitUntil((messages) => messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId).length >= 4, `the 4 good rows of ${jobId}`);
    assert.deepEqual((await decoded(chat, jobId)).map(({ value }) => [value.line, value.id]), [[2, 'g1'], [4, 'g2'], [6, 'g3'], [8, 'g4']]);
    const rejected = fleet.downloader.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'row rejected' && line.jobId === jobId);
    assert.deepEqual(rejected.map((line) => line.line), [3, 5, 7]);
    assert.match(String(rejected[1]?.reason), /pinned must be true or false/);
  });

  it('when a chat file is not a chat at all, then it is archived anyway, reported UNPARSEABLE with the reason, and never retried', async () => {
    const { sessionId } = await announce({ chat: { name: 'chat.csv', content: Buffer.from('<html><body>Access Denied</body></html>\n') } });
    const result = await archived(`chat.${sessionId}`);
    assert.equal(result.stream, 'UNPARSEABLE');
    assert.match(String(result.streamProblem), /header lacks id/);
    assert.equal(result.attempts, 1);
    assert.equal(result.streamedRecords, 0);
  });

  it('when a 100,000-line chat CSV is archived, then it becomes 100,000 records in order, and the downloader\'s memory stays flat', async () => {
    const before = fleet.downloader.peakRssBytes();
    const ids = { meetingId: randomUUID(), sessionId: randomUUID() };
    const content = bigChat(100_000, ids.sessionId, ids.meetingId, 1000);
    assert.ok(content.length > HEAP_CAP_MIB * 1024 * 1024, 'the file is larger than the heap the downloader may use');
    const { sessionId } = await announce({ chat: { name: 'chat.csv', content } }, ids);
    const jobId = `chat.${sessionId}`;
    const result = await archived(jobId, 400_000);
    const after = fleet.downloader.peakRssBytes();
    assert.equal(result.stream, 'COMPLETE');
    assert.equal(result.streamedRecords, 100_000);
    assert.equal(result.rejectedRows, 0);
    await chat.waitUntil((messages) => messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId).length >= 100_000, `100,000 messages of ${jobId}`, 300_000);
    const mine = chat.messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId);
    assert.equal(mine.length, 100_000, 'no copy: nothing was retried');
    assert.ok(mine.every((m) => m.key?.toString() === sessionId), 'one key: one partition, in order');
    mine.forEach((message, i) => assert.equal(header(message, KAFKA_HEADERS.recordId.name), `${jobId}:${i + 2}`, `message ${i} is line ${i + 2}`));
    const first = await decodeWireRecord(fleet.ingress.plainRegistry, mine[0]?.value as Buffer);
    const last = await decodeWireRecord(fleet.ingress.plainRegistry, mine.at(-1)?.value as Buffer);
    assert.deepEqual([first.value.id, first.value.line, last.value.id, last.value.line], ['msg-1', 2, 'msg-100000', 100_001]);
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const took = fleet.downloader.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'stream published' && line.jobId === jobId)?.tookMs;
    assert.equal(typeof took, 'number', 'the downloader logged how long publishing took');
    console.log(`      read back and published in ${String(took)} ms`);
    console.log(
      `      file ${mib(content.length)} MiB, 100,000 lines; downloader (heap capped at ${HEAP_CAP_MIB} MiB) peak RSS ${mib(before)} MiB before, ${mib(after)} MiB after (+${mib(after - before)} MiB)`,
    );
    // Streamed: neither the file nor its records are ever held whole, so memory does not grow with the file.
    assert.ok(after - before < content.length / 2, `peak RSS grew by ${mib(after - before)} MiB for a ${mib(content.length)} MiB file`);
  });

  it('when the downloader is killed half-way through publishing and started again, then every line is there, and every copy is recognisable by artifact and line', async () => {
    const ids = { meetingId: randomUUID(), sessionId: randomUUID() };
    const lines = 60_000;
    const { sessionId } = await announce({ chat: { name: 'chat.csv', content: bigChat(lines, ids.sessionId, ids.meetingId) } }, ids);
    const jobId = `chat.${sessionId}`;
    const mine = () => chat.messages.filter((m) => header(m, KAFKA_HEADERS.jobId.name) === jobId);
    await chat.waitUntil(() => mine().length >= lines / 4, `a quarter of ${jobId} published`, 300_000);
    await fleet.downloader.kill();
    const atKill = mine().length;
    assert.ok(atKill < lines, `killed before the end (${atKill} of ${lines} published)`);
    fleet.downloader = spawnService('downloader', fleet.env);
    const resumed = await fleet.downloader.waitForLog('stream resumed', 120_000);
    const result = await archived(jobId, 300_000);
    assert.equal(result.stream, 'COMPLETE');
    assert.equal(result.streamedRecords, lines);
    await chat.waitUntil(
      () => new Set(mine().map((m) => header(m, KAFKA_HEADERS.recordId.name))).size >= lines,
      `every line of ${jobId}`,
      300_000,
    );
    const byId = new Map<string, Buffer[]>();
    for (const message of mine()) {
      const id = header(message, KAFKA_HEADERS.recordId.name) as string;
      byId.set(id, [...(byId.get(id) ?? []), message.value as Buffer]);
    }
    for (let line = 2; line <= lines + 1; line++) assert.ok(byId.has(`${jobId}:${line}`), `line ${line} is on the topic`);
    assert.equal(byId.size, lines, 'no record of another line');
    const copies = [...byId.values()].filter((values) => values.length > 1);
    // A copy is the same record: same key, same bytes (content, artifact, line).
    for (const values of copies) assert.ok(values.every((value) => value.equals(values[0] as Buffer)), 'every copy has the same bytes');
    // Resumed from the saved progress, not from the start: at most the batches in flight at the kill are sent again.
    assert.ok(copies.length <= 2 * DEFAULT_BATCH_RECORDS, `${copies.length} line(s) sent twice`);
    console.log(`      killed at ${atKill} of ${lines} seen; resumed after line ${String(resumed.afterLine)}; ${copies.length} line(s) on the topic twice, each the same bytes`);
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchivedFile, ArtifactRef } from '../../../shared/src/index.js';
import { artifactRecords, type StreamedKind, type StreamItem } from '../../../services/downloader/src/streams/artifact-records.js';
import { UnparseableFileError } from '../../../services/downloader/src/streams/unparseable-file-error.js';
import { repoRoot } from '../../helpers/service-configs.js';

const sample = (name: string) => readFileSync(join(repoRoot, 'samples', 'artifacts', name));
const artifact = (kind: StreamedKind): ArtifactRef => ({
  jobId: `${kind}.79365b9b-e5ef-452f-934e-e171d75d254b`,
  kind,
  organizationId: 'o',
  meetingId: 'd9fc4d6a-a5a0-4430-9a73-d4ba14e597f9',
  sessionId: '79365b9b-e5ef-452f-934e-e171d75d254b',
  recordingId: null,
});
const stored: ArchivedFile = { location: 'file:///archive/x', bytes: 0, sha256: 'ab', contentType: null };

/** The file as chunks of `size` bytes: rows and characters cut anywhere, as a store streams them. */
async function* chunksOf(bytes: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(kind: StreamedKind, bytes: Buffer, options: { chunk?: number; summaryMaxBytes?: number } = {}) {
  const items: StreamItem[] = [];
  let error: unknown;
  try {
    for await (const item of artifactRecords(kind, artifact(kind), { ...stored, bytes: bytes.length }, chunksOf(bytes, options.chunk), options.summaryMaxBytes ?? 1024)) items.push(item);
  } catch (caught) {
    error = caught;
  }
  const records: Record<string, unknown>[] = items
    .filter((item) => item.rejected === undefined)
    .map((item) => ({ line: item.line, ...(item as { value: Record<string, unknown> }).value }));
  const rejected = items.filter((item) => item.rejected !== undefined);
  return { items, records, rejected, error };
}

describe('artifact records: an archived chat, transcript or summary read as records', () => {
  it("when the sample Dyte chat CSV is read in 7-byte chunks, then every row is a ChatMessage with the CSV's fields, quoted commas, newlines and quotes kept", async () => {
    const { records, rejected, error } = await collect('chat', sample('chat.csv'));
    assert.equal(error, undefined);
    assert.deepEqual(rejected, []);
    assert.equal(records.length, 8);
    assert.deepEqual(records.map((r) => r.line), [2, 3, 6, 7, 8, 9, 10, 11], 'a row spanning lines has the line it ends on');
    const [first, second, agenda, edited, file, , empty] = records as Record<string, unknown>[];
    assert.deepEqual(first, {
      line: 2,
      artifact: artifact('chat'),
      format: 'csv',
      id: '0f5a2c1e-8d3b-4e8a-9b61-1c2d3e4f5a01',
      participantId: 'aaa7c6f5-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      sessionId: '79365b9b-e5ef-452f-934e-e171d75d254b',
      meetingId: 'd9fc4d6a-a5a0-4430-9a73-d4ba14e597f9',
      displayName: 'Asha Rao',
      pinned: false,
      isEdited: false,
      payloadType: 'TEXT_MESSAGE',
      payload: 'Hi all! Can everyone hear me?',
      createdAt: Date.parse('2025-03-04T10:00:41.118Z') * 1000,
      extraJson: null,
    });
    assert.equal(second?.displayName, 'Lee, Jordan');
    assert.equal(agenda?.payload, 'Agenda:\n1. Q1 numbers\n2. Hiring "plan" for Q2');
    assert.equal(agenda?.pinned, true);
    assert.equal(edited?.isEdited, true);
    assert.equal(edited?.displayName, 'Müller Zoë');
    assert.equal(edited?.createdAt, Date.parse('2025-03-04T10:02:03.123Z') * 1000 + 456, "Dyte's space form, microseconds kept");
    assert.deepEqual(JSON.parse(String(file?.payload)), { link: 'https://files.example.com/q1-deck.pdf', name: 'q1-deck.pdf', size: 482113 });
    assert.equal(empty?.payload, '', 'an empty payload is a message, not a bad row');
  });

  it("when RealtimeKit's JSON chat is read, then each element is a ChatMessage: JSON types, a structured payload as JSON text, unknown fields in extraJson", async () => {
    const { records, rejected, error } = await collect('chat', sample('chat-rtk.json'), { chunk: 5 });
    assert.equal(error, undefined);
    assert.deepEqual(rejected, []);
    assert.deepEqual(records.map((r) => [r.line, r.format, r.id]), [
      [1, 'json', '5b0c9d7e-2f41-4c55-a1e3-7d9e0b1c2a01'],
      [2, 'json', '5b0c9d7e-2f41-4c55-a1e3-7d9e0b1c2a02'],
      [3, 'json', '5b0c9d7e-2f41-4c55-a1e3-7d9e0b1c2a03'],
    ]);
    assert.equal(records[1]?.pinned, true);
    assert.equal(records[1]?.payload, 'Action items:\n- deck by Friday\n- "hiring plan" review');
    assert.equal(records[1]?.extraJson, '{"channelId":"meeting"}');
    assert.deepEqual(JSON.parse(String(records[2]?.payload)), { link: 'https://files.example.com/q1-deck.pdf', name: 'q1-deck.pdf', size: 482113 });
  });

  it('when a JSON chat comes wrapped as an API answer in snake_case, with a byte-order mark, then its messages are read the same', async () => {
    const body = { success: true, data: { messages: [{ id: 'm1', participant_id: 'p1', display_name: 'A', is_edited: true, payload_type: 'TEXT_MESSAGE', payload: 'hi', created_at: '2025-03-04T10:00:00.000Z' }] } };
    const { records, error } = await collect('chat', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n ${JSON.stringify(body)}`)]));
    assert.equal(error, undefined);
    assert.deepEqual(records.map((r) => [r.id, r.participantId, r.displayName, r.isEdited, r.createdAt]), [['m1', 'p1', 'A', true, Date.parse('2025-03-04T10:00:00.000Z') * 1000]]);
  });

  it('when the format is told, then it comes from the content: CSV bytes are CSV and JSON bytes are JSON whatever the file was called', async () => {
    assert.equal((await collect('chat', sample('chat.csv'))).records[0]?.format, 'csv');
    assert.equal((await collect('chat', sample('chat-rtk.json'))).records[0]?.format, 'json');
  });

  it('when rows are malformed, then each is rejected with its line and reason, and every other row is read', async () => {
    const csv = [
      'id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt',
      'a1,p,s,m,A,false,false,TEXT_MESSAGE,one,2025-03-04T10:00:00.000Z',
      'a2,p,s,m,A,false,false,TEXT_MESSAGE,too,many,fields,2025-03-04T10:00:00.000Z',
      'a3,p,s,m,A,maybe,false,TEXT_MESSAGE,three,2025-03-04T10:00:00.000Z',
      'a4,p,s,m,A,false,false,TEXT_MESSAGE,four,yesterday',
      ',p,s,m,A,false,false,TEXT_MESSAGE,five,2025-03-04T10:00:00.000Z',
      'a6,p,s,m,A,false,false,TEXT_MESSAGE,six "quoted" inside,2025-03-04T10:00:00.000Z',
      'a7,p,s,m,A,false,false,TEXT_MESSAGE,seven,2025-03-04T10:00:00.000Z',
    ].join('\r\n');
    const { records, rejected, items, error } = await collect('chat', Buffer.from(csv));
    assert.equal(error, undefined);
    assert.deepEqual(records.map((r) => r.id), ['a1', 'a6', 'a7']);
    assert.equal(records[1]?.payload, 'six "quoted" inside', 'a stray quote stays text and does not swallow the lines after it');
    assert.deepEqual(rejected.map((r) => r.line), [3, 4, 5, 6]);
    assert.match(String(rejected[0]?.rejected), /12 field\(s\) where the header has 10/);
    assert.match(String(rejected[1]?.rejected), /pinned must be true or false/);
    assert.match(String(rejected[2]?.rejected), /createdAt must be a timestamp/);
    assert.match(String(rejected[3]?.rejected), /id is missing/);
    assert.deepEqual(items.map((item) => item.line), [2, 3, 4, 5, 6, 7, 8], 'records and rejections come in line order');
  });

  it('when a JSON chat holds an element that is not an object, then that element is rejected by position and the rest read', async () => {
    const { records, rejected } = await collect('chat', Buffer.from('[{"id":"a","payload":"x"}, 42, {"id":"b","payload":"y"}]'));
    assert.deepEqual(records.map((r) => [r.line, r.id]), [[1, 'a'], [3, 'b']]);
    assert.deepEqual(rejected, [{ line: 2, rejected: 'element 2 is a number, not an object' }]);
  });

  it('when the file is not a chat (binary, another CSV, a JSON that breaks off), then it is unparseable, after the records before the fault', async () => {
    const binary = await collect('chat', Buffer.from([0x00, 0x9f, 0x92, 0x96, 0x0a, 0x01]));
    assert.ok(binary.error instanceof UnparseableFileError, String(binary.error));
    const other = await collect('chat', Buffer.from('a,b\n1,2\n'));
    assert.ok(other.error instanceof UnparseableFileError);
    assert.match((other.error as Error).message, /header lacks id, participantId/);
    const broken = await collect('chat', Buffer.from('[{"id":"a","payload":"x"},{"id":"b","pay'));
    assert.deepEqual(broken.records.map((r) => r.id), ['a']);
    assert.ok(broken.error instanceof UnparseableFileError);
    const noArray = await collect('chat', Buffer.from('{"success":true}'));
    assert.ok(noArray.error instanceof UnparseableFileError);
    const empty = await collect('chat', Buffer.alloc(0));
    assert.ok(empty.error instanceof UnparseableFileError);
  });

  it("when the sample transcript CSV is read, then every line is a TranscriptSegment with Dyte's four columns", async () => {
    const { records, rejected, error } = await collect('transcript', sample('transcript.csv'), { chunk: 11 });
    assert.equal(error, undefined);
    assert.deepEqual(rejected, []);
    assert.equal(records.length, 6);
    assert.deepEqual(records[1], {
      line: 3,
      artifact: artifact('transcript'),
      format: 'csv',
      timestamp: '2025-03-04T10:00:51.004Z',
      participantId: 'bbb7c6f5-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      participantName: 'Lee, Jordan',
      text: 'Morning, Asha.',
      extraJson: null,
    });
    assert.equal(records[4]?.text, 'That\'s the "whiteboard" I mentioned.');
  });

  it('when a summary is read, then it is one MeetingSummaryText; a longer one is cut to the bound at a character boundary and points at the file', async () => {
    const whole = await collect('summary', sample('summary.md'));
    assert.equal(whole.records.length, 1);
    assert.equal(whole.records[0]?.text, sample('summary.md').toString('utf8'));
    assert.equal(whole.records[0]?.truncated, false);
    // 'é' is 2 bytes: a bound of 5 falls inside the third one.
    const cut = await collect('summary', Buffer.from('ééééé'), { summaryMaxBytes: 5, chunk: 3 });
    assert.deepEqual(cut.records, [{ line: 1, artifact: artifact('summary'), text: 'éé', truncated: true, bytes: 10, sha256: 'ab', location: 'file:///archive/x' }]);
  });
});

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { loadSchemaCatalog } from '../../../shared/src/index.js';
import { buildEventRecord } from '../../../services/ingress/src/domain/build-event-record.js';
import { artifactJobs } from '../../../services/dispatcher/src/domain/artifact-jobs.js';
import { fixture } from '../../helpers/fixtures.js';

const catalog = loadSchemaCatalog();
const delivery = { deliveryId: 'd-1', bodySha256: 'x', webhookId: null, source: 'dyte' as const, receivedAt: 0 };
/** The record as the dispatcher sees it: what the ingress built, after an Avro round trip. */
const asDecoded = (body: Record<string, unknown>) => {
  const record = buildEventRecord(catalog, String(body.event), body, delivery);
  const type = catalog.type(record.recordName);
  return { name: record.recordName, value: type.fromBuffer(type.toBuffer(record.value)) as Record<string, unknown> };
};

describe('artifactJobs (dispatcher)', () => {
  it('when a chatSynced event is read, then one chat job keyed by session id carries the link and its expiry', () => {
    const { name, value } = asDecoded(fixture('seed', 'meeting-chatSynced'));
    const dispatch = artifactJobs(name, value, 'd-1');
    assert.ok('jobs' in dispatch);
    assert.deepEqual(dispatch.jobs, [
      {
        artifact: {
          jobId: 'chat.79365b9b-e5ef-452f-934e-e171d75d254b',
          kind: 'chat',
          organizationId: '70c5d391-4bac-4cf3-9907-bec205798adb',
          meetingId: 'd9fc4d6a-a5a0-4430-9a73-d4ba14e597f9',
          sessionId: '79365b9b-e5ef-452f-934e-e171d75d254b',
          recordingId: null,
        },
        url: 'https://sample.com',
        expiresAt: Date.parse('2022-12-13T07:08:39.051Z') * 1000 + 621,
        sourceEvent: 'meeting.chatSynced',
        deliveryId: 'd-1',
        expectedBytes: null,
      },
    ]);
  });

  it('when transcript and summary events (both summary shapes) are read, then each gives its job', () => {
    for (const [folder, name, kind] of [
      ['seed', 'meeting-transcript', 'transcript'],
      ['domain', 'meeting-summary', 'summary'],
      ['domain', 'meeting-summary-flat', 'summary'],
    ] as const) {
      const decoded = asDecoded(fixture(folder, name));
      const dispatch = artifactJobs(decoded.name, decoded.value, 'd');
      assert.ok('jobs' in dispatch && dispatch.jobs.length === 1, name);
      assert.equal(dispatch.jobs[0]?.artifact.kind, kind);
      assert.equal(dispatch.jobs[0]?.artifact.meetingId, 'bbbba351-90c5-487f-8358-ce4885555134');
    }
  });

  it('when a recording is UPLOADED, then video and audio jobs are keyed by recording id; other statuses give none', () => {
    const uploaded = asDecoded(fixture('domain', 'recording-uploaded'));
    const dispatch = artifactJobs(uploaded.name, uploaded.value, 'd');
    assert.ok('jobs' in dispatch);
    assert.deepEqual(dispatch.jobs.map((j) => [j.artifact.jobId, j.expectedBytes]), [
      ['recording.97cb480d-5840-4528-ace3-919b5e386c68', 73400320],
      ['recording_audio.97cb480d-5840-4528-ace3-919b5e386c68', null],
    ]);
    assert.equal(dispatch.jobs[0]?.artifact.organizationId, 'c94c437b-592a-4a39-b9e2-47ef1451e43b');
    const rtk = asDecoded(fixture('domain', 'recording-uploaded-rtk'));
    const rtkDispatch = artifactJobs(rtk.name, rtk.value, 'd');
    assert.ok('jobs' in rtkDispatch && rtkDispatch.jobs[0]?.expectedBytes === 104857600, 'string fileSize read as a number');
    const recording = asDecoded(fixture('seed', 'recording-statusUpdate'));
    assert.deepEqual(artifactJobs(recording.name, recording.value, 'd'), { jobs: [] });
  });

  it('when a transcript has no session id, then its job id still tells sessions of the same meeting apart', () => {
    const body = fixture('seed', 'meeting-transcript');
    delete (body.meeting as Record<string, unknown>).sessionId;
    const first = asDecoded(body);
    const later = asDecoded({ ...body, transcriptDownloadUrlExpiry: '2024-01-01 00:00:00.000001Z' });
    const ids = [first, later].map(({ name, value }) => {
      const dispatch = artifactJobs(name, value, 'd');
      return 'jobs' in dispatch ? dispatch.jobs[0]?.artifact.jobId : undefined;
    });
    // The id comes from signed content only: the meeting id, the link's expiry and the link without its query.
    assert.match(ids[0] ?? '', /^transcript\.bbbba351-90c5-487f-8358-ce4885555134_\d+_https___sample\.com_transcript\.csv~[0-9a-f]{12}$/);
    assert.notEqual(ids[0], ids[1]);
  });

  const summaryWithoutSession = () => {
    const body = fixture('domain', 'meeting-summary');
    delete (body.meeting as Record<string, unknown>).sessionId;
    delete body.summaryDownloadUrlExpiry;
    return body;
  };
  const jobsOf = (body: Record<string, unknown>, deliveryId: string) => {
    const { name, value } = asDecoded(body);
    const dispatch = artifactJobs(name, value, deliveryId);
    assert.ok('jobs' in dispatch, JSON.stringify(dispatch));
    return dispatch.jobs;
  };

  it('when the same signed summary without session id or expiry comes with three delivery ids, then all three give one job id, each job still carrying its delivery id', () => {
    const body = summaryWithoutSession();
    const jobs = ['uuid-1', 'uuid-2', 'uuid-3'].flatMap((deliveryId) => jobsOf(body, deliveryId));
    assert.equal(new Set(jobs.map((j) => j.artifact.jobId)).size, 1, jobs.map((j) => j.artifact.jobId).join(' '));
    assert.deepEqual(jobs.map((j) => j.deliveryId), ['uuid-1', 'uuid-2', 'uuid-3']);
    for (const job of jobs) assert.ok(!job.artifact.jobId.includes('uuid'), `${job.artifact.jobId} holds no delivery id`);
  });

  it('when a session-less link differs only in its query string, then the job id is the same; when its path differs, then the job id differs', () => {
    const body = summaryWithoutSession();
    const id = (url: string) => jobsOf({ ...body, summaryDownloadUrl: url }, 'd')[0]?.artifact.jobId;
    const first = id('https://bucket.s3.amazonaws.com/org/m/summary.txt?X-Amz-Signature=aaa&X-Amz-Date=1');
    assert.equal(id('https://bucket.s3.amazonaws.com/org/m/summary.txt?X-Amz-Signature=bbb&X-Amz-Date=2'), first);
    assert.notEqual(id('https://bucket.s3.amazonaws.com/org/m2/summary.txt?X-Amz-Signature=aaa&X-Amz-Date=1'), first);
    assert.notEqual(id('https://other.s3.amazonaws.com/org/m/summary.txt?X-Amz-Signature=aaa&X-Amz-Date=1'), first);
  });

  it('when session ids differ only in characters the sanitiser replaces (acme corp, acme_corp, acme?corp), then their job ids differ; safe ids keep their job ids', () => {
    const chat = fixture('seed', 'meeting-chatSynced');
    const id = (sessionId: string) => jobsOf({ ...chat, sessionId }, 'd')[0]?.artifact.jobId ?? '';
    const ids = ['acme corp', 'acme_corp', 'acme?corp'].map(id);
    assert.equal(new Set(ids).size, 3, ids.join(' '));
    assert.equal(ids[1], 'chat.acme_corp', 'a safe id is kept as it is');
    assert.equal(id('79365b9b-e5ef-452f-934e-e171d75d254b'), 'chat.79365b9b-e5ef-452f-934e-e171d75d254b');
    const long = (last: string) => id(`${'s'.repeat(199)}${last}`);
    assert.notEqual(long('a'), long('b'), 'two 200-character ids sharing a prefix');
  });

  it('when session ids are distinct, then their job ids are distinct (property)', () => {
    const chat = fixture('seed', 'meeting-chatSynced');
    const tricky = fc.string({ unit: fc.constantFrom('a', 'A', '0', '_', '-', '.', ' ', '?', '~', '/', 'é', '\u{1f431}'), minLength: 1, maxLength: 140 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1 })), { minLength: 2, maxLength: 6 }), (sessionIds) => {
        const ids = sessionIds.map((sessionId) => jobsOf({ ...chat, sessionId }, 'd')[0]?.artifact.jobId);
        assert.equal(new Set(ids).size, sessionIds.length, ids.join(' | '));
      }),
      { numRuns: 300 },
    );
  });

  it('when an event is not about artifacts, then it gives no job', () => {
    const started = asDecoded(fixture('seed', 'meeting-started'));
    assert.deepEqual(artifactJobs(started.name, started.value, 'd'), { jobs: [] });
  });

  it('when an artifact event was kept raw because it broke its schema, then it is parked with the problems', () => {
    const raw = asDecoded({ event: 'meeting.chatSynced', meetingId: 'm', sessionId: 's', chatDownloadUrl: 7 });
    const dispatch = artifactJobs(raw.name, raw.value, 'd');
    assert.ok('parked' in dispatch);
    assert.match(dispatch.parked, /meeting.chatSynced kept raw: chatDownloadUrl must be a string/);
  });

  it('when an UPLOADED recording has no download URL, then it is parked naming what is missing', () => {
    const body = fixture('domain', 'recording-uploaded');
    delete (body.recording as Record<string, unknown>).downloadUrl;
    const decoded = asDecoded(body);
    assert.deepEqual(artifactJobs(decoded.name, decoded.value, 'd'), { parked: 'recording.statusUpdate: no recording download URL' });
  });
});

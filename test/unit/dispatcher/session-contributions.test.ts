import { strict as assert } from 'node:assert';
import { ARTIFACT_ARCHIVED_RECORD, ARTIFACT_FAILED_RECORD, foldSession, loadSchemaCatalog } from '../../../shared/src/index.js';
import { buildEventRecord } from '../../../services/ingress/src/domain/build-event-record.js';
import { artifactJobs } from '../../../services/dispatcher/src/domain/artifact-jobs.js';
import { sessionContributions } from '../../../services/dispatcher/src/ledger/session-contributions.js';
import { fixture } from '../../helpers/fixtures.js';

const catalog = loadSchemaCatalog();
const RECEIVED = Date.UTC(2026, 0, 2, 3, 4, 5) * 1000;
const delivery = { deliveryId: 'd-1', bodySha256: 'x', webhookId: null, source: 'dyte' as const, receivedAt: RECEIVED };
/** The record as the ledger sees it: what the ingress built, after an Avro round trip. */
const asDecoded = (body: Record<string, unknown>) => {
  const record = buildEventRecord(catalog, String(body.event), body, delivery);
  const type = catalog.type(record.recordName);
  return { name: record.recordName, value: type.fromBuffer(type.toBuffer(record.value)) as Record<string, unknown> };
};
const KAFKA_TIME = 1;

describe('sessionContributions (dispatcher ledger)', () => {
  it('when meeting.started and meeting.ended are read, then they give the session its ids, organizer, start and end', () => {
    const started = asDecoded(fixture('seed', 'meeting-started'));
    const ended = asDecoded(fixture('seed', 'meeting-ended'));
    const readings = [sessionContributions(started.name, started.value, KAFKA_TIME), sessionContributions(ended.name, ended.value, KAFKA_TIME)];
    const state = foldSession(readings.flatMap((r) => r.contributions));
    const meeting = started.value.meeting as { id: string; sessionId: string; startedAt: number; organizedBy: { id: string; name: string } };
    assert.ok(state);
    assert.equal(state.ledgerKey, meeting.sessionId);
    assert.equal(state.sessionId, meeting.sessionId);
    assert.equal(state.meetingId, meeting.id);
    assert.equal(state.organizationId, meeting.organizedBy.id);
    assert.equal(state.organizationName, meeting.organizedBy.name);
    assert.equal(state.startedAt, meeting.startedAt);
    assert.equal(state.endedAt, (ended.value.meeting as { endedAt: number }).endedAt);
    assert.equal(state.updatedAt, RECEIVED);
    assert.ok(readings.every((r) => !r.withoutSession));
  });

  it('when artifact events are read, then each announces exactly the jobs the dispatcher adds, pending, with the link expiry', () => {
    for (const [set, name] of [['seed', 'meeting-chatSynced'], ['seed', 'meeting-transcript'], ['domain', 'meeting-summary'], ['domain', 'recording-uploaded']] as const) {
      const record = asDecoded(fixture(set, name));
      const dispatch = artifactJobs(record.name, record.value, 'd-1');
      assert.ok('jobs' in dispatch && dispatch.jobs.length > 0, name);
      const { contributions } = sessionContributions(record.name, record.value, KAFKA_TIME);
      const artifacts = contributions.flatMap((c) => c.artifacts);
      assert.deepEqual(artifacts.map((a) => a.jobId), dispatch.jobs.map((j) => j.artifact.jobId), name);
      for (const [i, artifact] of artifacts.entries()) {
        assert.equal(artifact.state, 'pending');
        assert.equal(artifact.announcedAt, RECEIVED);
        assert.equal(artifact.expiresAt, dispatch.jobs[i]?.expiresAt);
      }
    }
  });

  it('when ArtifactArchived and ArtifactFailed are read, then they give the outcome with location, size, SHA-256 or reason', () => {
    const ref = { jobId: 'chat.s-1', kind: 'chat', organizationId: 'org', meetingId: 'm-1', sessionId: 's-1', recordingId: null };
    const archived = sessionContributions(ARTIFACT_ARCHIVED_RECORD, { artifact: ref, location: 'file:///a/chat.csv', bytes: 42, sha256: 'ab12', contentType: 'text/csv', tookMs: 1, attempts: 1, archivedAt: 7 }, KAFKA_TIME);
    assert.deepEqual(archived.contributions[0]?.artifacts[0]?.archived, { location: 'file:///a/chat.csv', bytes: 42, sha256: 'ab12', contentType: 'text/csv', archivedAt: 7 });
    assert.equal(archived.contributions[0]?.ledgerKey, 's-1');
    const failed = sessionContributions(ARTIFACT_FAILED_RECORD, { artifact: ref, reason: 'EXPIRED', message: 'the link expired', attempts: 1, failedAt: 9 }, KAFKA_TIME);
    assert.deepEqual(failed.contributions[0]?.artifacts[0]?.failure, { reason: 'EXPIRED', detail: 'the link expired', failedAt: 9 });
    assert.equal(failed.contributions[0]?.artifacts[0]?.state, 'failed');
  });

  it('when a record names no session, then it is filed under the meeting placeholder and said to be without session', () => {
    // A recording's session comes from recording.roomUUID or meeting.sessionId: without both, it has none.
    const body = structuredClone(fixture('domain', 'recording-uploaded')) as { recording: Record<string, unknown>; meeting?: Record<string, unknown> };
    delete body.recording.roomUUID;
    if (body.meeting) delete body.meeting.sessionId;
    const record = asDecoded(body);
    const dispatch = artifactJobs(record.name, record.value, 'd-1');
    assert.ok('jobs' in dispatch && dispatch.jobs[0]);
    const reading = sessionContributions(record.name, record.value, KAFKA_TIME);
    assert.equal(reading.withoutSession, true);
    assert.equal(reading.contributions[0]?.ledgerKey, `_no-session:${dispatch.jobs[0].artifact.meetingId}`);
    assert.equal(reading.contributions[0]?.sessionId, null);
  });

  it('when a record is not about a session (a participant joined), then it gives nothing', () => {
    const record = asDecoded(fixture('seed', 'meeting-participantJoined'));
    assert.deepEqual(sessionContributions(record.name, record.value, KAFKA_TIME), { contributions: [], withoutSession: false });
  });
});

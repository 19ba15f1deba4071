import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { archiveJobOptions, loadSchemaCatalog, nextBases, type ArchiveJobData, type ArtifactKind, type ProviderSession } from '../../../../shared/src/index.js';
import { buildEventRecord } from '../../../../services/ingress/src/domain/build-event-record.js';
import { artifactJobs } from '../../../../services/dispatcher/src/domain/artifact-jobs.js';
import { jobFromProvider } from '../../../../services/dispatcher/src/reconcile/reconcile-decision.js';
import { fixture } from '../../../helpers/fixtures.js';

const catalog = loadSchemaCatalog();
const delivery = { deliveryId: 'd-1', bodySha256: 'x', webhookId: null, source: 'dyte' as const, receivedAt: 0 };

/** The jobs the webhook path makes of a body: ingress record, Avro round trip, dispatcher. */
function webhookJobs(body: Record<string, unknown>): ArchiveJobData[] {
  const record = buildEventRecord(catalog, String(body.event), body, delivery);
  const type = catalog.type(record.recordName);
  const dispatch = artifactJobs(record.recordName, type.fromBuffer(type.toBuffer(record.value)) as Record<string, unknown>, 'd-1');
  assert.ok('jobs' in dispatch, JSON.stringify(dispatch));
  return dispatch.jobs;
}

interface Ids {
  organizationId: string;
  meetingId: string;
  sessionId: string;
  recordingId: string;
}

/** The webhooks that announce each artifact of a session, with these ids. */
function webhooksFor(ids: Ids): Record<ArtifactKind, ArchiveJobData> {
  const organizedBy = { id: ids.organizationId, name: 'Org' };
  const chat = { ...fixture('seed', 'meeting-chatSynced'), meetingId: ids.meetingId, sessionId: ids.sessionId, organizedBy };
  const meeting = (body: Record<string, unknown>) => ({ ...(body.meeting as object), id: ids.meetingId, sessionId: ids.sessionId, organizedBy });
  const transcript = fixture('seed', 'meeting-transcript');
  const summary = fixture('domain', 'meeting-summary');
  const recording = fixture('domain', 'recording-uploaded');
  const rec = recording.recording as Record<string, unknown>;
  const [video, audio] = webhookJobs({
    ...recording,
    recording: { ...rec, id: ids.recordingId, recordingId: ids.recordingId, meetingId: ids.meetingId, organizationId: ids.organizationId, roomUUID: ids.sessionId },
    meeting: meeting(recording),
  });
  return {
    chat: webhookJobs(chat)[0] as ArchiveJobData,
    transcript: webhookJobs({ ...transcript, meeting: meeting(transcript) })[0] as ArchiveJobData,
    summary: webhookJobs({ ...summary, meeting: meeting(summary) })[0] as ArchiveJobData,
    recording: video as ArchiveJobData,
    recording_audio: audio as ArchiveJobData,
  };
}

/** The jobs the reconciler makes of the same artifacts, as the provider's API describes them. */
function reconcilerFor(ids: Ids): Record<ArtifactKind, ArchiveJobData> {
  const session: ProviderSession = {
    sessionId: ids.sessionId,
    meetingId: ids.meetingId,
    organizationId: ids.organizationId,
    title: null,
    status: 'ENDED',
    type: 'meeting',
    createdAt: null,
    startedAt: null,
    endedAt: null,
  };
  const expiresAt = new Date(Date.now() + 3600_000);
  const job = (kind: ArtifactKind, recordingId?: string) => {
    const made = jobFromProvider(session, { held: true, kind, sessionId: ids.sessionId, ...(recordingId ? { recordingId } : {}), url: `https://r2.example/${kind}?sig=1`, expiresAt }, 'reconcile:t');
    assert.ok(!('unusable' in made));
    return made;
  };
  return {
    chat: job('chat'),
    transcript: job('transcript'),
    summary: job('summary'),
    recording: job('recording', ids.recordingId),
    recording_audio: job('recording_audio', ids.recordingId),
  };
}

const KINDS: ArtifactKind[] = ['chat', 'transcript', 'summary', 'recording', 'recording_audio'];

describe('reconciler job ids: the same artifact, the same job as the webhook path', () => {
  it('when a webhook and the reconciler describe the same chat, transcript, summary, recording and audio, then each pair has one job id and one artifact reference', () => {
    const ids = {
      organizationId: 'c94c437b-592a-4a39-b9e2-47ef1451e43b',
      meetingId: 'bbbba351-90c5-487f-8358-ce4885555134',
      sessionId: '01eab2e1-3cd4-4237-8cf3-c8c071ef87e9',
      recordingId: '97cb480d-5840-4528-ace3-919b5e386c68',
    };
    const fromWebhooks = webhooksFor(ids);
    const fromReconciler = reconcilerFor(ids);
    for (const kind of KINDS) {
      assert.deepEqual(fromReconciler[kind].artifact, fromWebhooks[kind].artifact, kind);
    }
    assert.equal(fromReconciler.chat.artifact.jobId, `chat.${ids.sessionId}`);
    assert.equal(fromReconciler.recording_audio.artifact.jobId, `recording_audio.${ids.recordingId}`);
    assert.equal(fromReconciler.chat.sourceEvent, 'reconcile');
    assert.equal(fromReconciler.chat.deliveryId, 'reconcile:t');
  });

  it('when ids hold characters the sanitiser must hash (spaces, slashes, unicode, over 128 characters), then both paths still give one job id (property)', () => {
    const id = fc.oneof(
      fc.uuid(),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-', '.', ' ', '?', '~', '/', ':', 'é', '\u{1f431}'), minLength: 1, maxLength: 200 }),
    );
    fc.assert(
      fc.property(fc.record({ organizationId: fc.uuid(), meetingId: fc.uuid(), sessionId: id, recordingId: id }), (ids) => {
        const fromWebhooks = webhooksFor(ids);
        const fromReconciler = reconcilerFor(ids);
        for (const kind of KINDS) assert.equal(fromReconciler[kind].artifact.jobId, fromWebhooks[kind].artifact.jobId, kind);
      }),
      { numRuns: 200 },
    );
  });

  it('when the reconciler makes a job, then its BullMQ options are the webhook path’s: same id, priority by expiry, attempts', () => {
    const ids = { organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: 'r' };
    const fromReconciler = reconcilerFor(ids).chat;
    const bases = nextBases(undefined, Date.UTC(2029, 5, 1));
    const options = archiveJobOptions(fromReconciler, 7, bases);
    assert.equal(options.jobId, 'chat.s');
    assert.equal(options.attempts, 7);
    assert.deepEqual(options, archiveJobOptions({ ...webhooksFor(ids).chat, expiresAt: fromReconciler.expiresAt }, 7, bases));
  });

  it('when the provider names no meeting for a session, then no job is made and the reason says so', () => {
    const made = jobFromProvider(
      { sessionId: 's', meetingId: null, organizationId: null, title: null, status: 'ENDED', type: null, createdAt: null, startedAt: null, endedAt: null },
      { held: true, kind: 'chat', sessionId: 's', url: 'https://x/c', expiresAt: null },
      'r',
    );
    assert.ok('unusable' in made);
    assert.match(made.unusable, /no meeting id/);
  });
});

import { strict as assert } from 'node:assert';
import type { Job } from 'bullmq';
import type { ArchiveJobData } from '../../../shared/src/index.js';
import { artifactStatus, describe as describeStatus, type ArtifactStatus } from '../../../cli/src/archive/artifact-status.js';

describe('archive status lines', () => {
  it('when a job had fresh links, then its line says how many', () => {
    const status: ArtifactStatus = {
      jobId: 'chat.s', kind: 'chat', sessionId: 's', recordingId: null, state: 'archived', attempts: 1, linkRefreshes: 2,
      expiresAt: null, secondsLeft: null, location: 'file:///a/chat.csv', bytes: 3, sha256: 'ab', archivedAt: '2026-01-01T00:00:00.000Z',
    };
    assert.match(describeStatus(status), /sha256 ab .*link refreshed 2x$/);
    assert.doesNotMatch(describeStatus({ ...status, linkRefreshes: 0 }), /refreshed/);
    assert.match(describeStatus({ ...status, state: 'failed', reason: 'EXPIRED (NOT_HELD): gone', linkRefreshes: 1 }), /EXPIRED \(NOT_HELD\): gone .*link refreshed 1x$/);
  });

  it('when a streamed file was archived, then its line and JSON say how its content was published; while publishing, how far it got', () => {
    const data = {
      url: 'https://x/chat.csv', expiresAt: null,
      artifact: { jobId: 'chat.s', kind: 'chat', organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: null },
    } as unknown as ArchiveJobData;
    const job = (over: Record<string, unknown>) => ({ id: 'chat.s', data, attemptsMade: 1, finishedOn: Date.parse('2026-01-01T00:00:00Z'), ...over }) as unknown as Job<ArchiveJobData>;
    const archived = artifactStatus(job({ returnvalue: { location: 'file:///a', bytes: 3, sha256: 'ab', stream: 'UNPARSEABLE', streamedRecords: 4, rejectedRows: 1, streamProblem: 'line 6: not CSV' } }), 'completed', 0);
    assert.deepEqual(archived.stream, { state: 'UNPARSEABLE', records: 4, rejectedRows: 1, problem: 'line 6: not CSV' });
    assert.match(describeStatus(archived), /stream UNPARSEABLE: 4 record\(s\), 1 row\(s\) rejected \(problem in --json\)$/);
    assert.match(describeStatus({ ...archived, linkRefreshes: 1 }), /rejected \(problem in --json\)  link refreshed 1x$/);
    // A recording, or a job archived before streams were reported: nothing about a stream.
    for (const returnvalue of [{ location: 'file:///a', bytes: 3, sha256: 'ab', stream: 'NOT_STREAMED' }, { location: 'file:///a', bytes: 3, sha256: 'ab' }]) {
      const status = artifactStatus(job({ returnvalue }), 'completed', 0);
      assert.equal(status.stream, undefined);
      assert.doesNotMatch(describeStatus(status), /stream/);
    }
    const publishing = artifactStatus(job({ data: { ...data, streamProgress: { line: 201, records: 200, rejected: 0 } } }), 'active', 0);
    assert.deepEqual(publishing.streamProgress, { line: 201, records: 200, rejectedRows: 0 });
    assert.match(describeStatus(publishing), /stored, publishing its content: 200 record\(s\) up to line 201, 0 rejected$/);
    assert.equal(artifactStatus(job({ data: { ...data, streamProgress: { line: 201, records: 200, rejected: 0 } } }), 'failed', 0).streamProgress, undefined);
  });
});

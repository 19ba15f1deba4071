import { strict as assert } from 'node:assert';
import { describe as describeStatus, type ArtifactStatus } from '../../../cli/src/archive/artifact-status.js';

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
});

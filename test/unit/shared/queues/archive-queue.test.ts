import { strict as assert } from 'node:assert';
import { archiveJobOptions, priorityOf } from '../../../../shared/src/index.js';

describe('archive queue (shared)', () => {
  it('when links expire at different times, then the earlier expiry gets the smaller (sooner) priority', () => {
    const now = Date.now() * 1000;
    assert.ok(priorityOf(now + 3600e6) < priorityOf(now + 7 * 24 * 3600e6));
    assert.ok(priorityOf(now + 7 * 24 * 3600e6) < priorityOf(null), 'no expiry comes last');
    assert.ok(priorityOf(now) >= 1);
    const options = archiveJobOptions(
      { artifact: { jobId: 'chat.s', kind: 'chat', organizationId: null, meetingId: 'm', sessionId: 's', recordingId: null }, url: 'u', expiresAt: now, sourceEvent: 'e', deliveryId: 'd', expectedBytes: null },
      5,
    );
    assert.equal(options.jobId, 'chat.s');
    assert.equal(options.attempts, 5);
  });
});

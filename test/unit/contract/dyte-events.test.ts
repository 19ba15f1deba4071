import { strict as assert } from 'node:assert';
import { resourceOf } from '../../../shared/src/index.js';

describe('resourceOf (shared/src/contract/dyte-events.ts)', () => {
  it('when an event name starts with a resource the fleet knows, then that resource is its topic; any other start is unknown', () => {
    const cases: [string, string | undefined][] = [
      ['meeting.started', 'meeting'],
      ['recording.statusUpdate', 'recording'],
      ['livestreaming.statusUpdate', 'livestreaming'],
      ['meeting.chat.sync', 'meeting'],
      ['meeting', 'meeting'],
      ['meetings.started', undefined],
      ['Meeting.started', undefined],
      ['.meeting', undefined],
      ['', undefined],
    ];
    for (const [event, resource] of cases) assert.equal(resourceOf(event), resource, event);
  });
});

import { strict as assert } from 'node:assert';
import { AdminSessions } from '../../../services/dispatcher/src/admin/admin-sessions.js';

const HOUR = 3600_000;

describe('admin sessions', () => {
  let now: number;
  const sessions = (options: { maxSessions?: number } = {}) => new AdminSessions({ absoluteMs: 12 * HOUR, idleMs: 2 * HOUR, now: () => now, ...options });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('when two sessions are created, then each id is 32 random bytes (64 hex characters), different from the other', () => {
    const store = sessions();
    const a = store.create().id;
    const b = store.create().id;
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, b);
    assert.ok(store.touch(a) && store.touch(b));
  });

  it('when an id was never issued, or is missing, then it is not a session', () => {
    const store = sessions();
    store.create();
    assert.equal(store.touch('0'.repeat(64)), false);
    assert.equal(store.touch(undefined), false);
  });

  it('when 12 hours have passed since the login, then the session has ended, however active it was', () => {
    const store = sessions();
    const { id, expiresAt } = store.create();
    assert.equal(expiresAt, now + 12 * HOUR);
    for (let hour = 1; hour < 12; hour++) {
      now += HOUR;
      assert.ok(store.touch(id), `still valid after ${hour} h of use`);
    }
    now += HOUR;
    assert.equal(store.touch(id), false);
    assert.equal(store.size, 0, 'an ended session is forgotten');
  });

  it('when a session is idle for longer than the idle limit, then it has ended', () => {
    const store = sessions();
    const { id } = store.create();
    now += 2 * HOUR - 1;
    assert.ok(store.touch(id));
    now += 2 * HOUR + 1;
    assert.equal(store.touch(id), false);
  });

  it('when a session is deleted (logout), then its id no longer opens anything', () => {
    const store = sessions();
    const { id } = store.create();
    store.delete(id);
    assert.equal(store.touch(id), false);
    assert.doesNotThrow(() => store.delete(id), 'a second logout is harmless');
  });

  it('when more sessions are created than the store holds, then the oldest ones end and memory stays bounded', () => {
    const store = sessions({ maxSessions: 3 });
    const ids = Array.from({ length: 5 }, () => store.create().id);
    assert.equal(store.size, 3);
    assert.deepEqual(ids.map((id) => store.touch(id)), [false, false, true, true, true]);
  });
});

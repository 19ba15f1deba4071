import { strict as assert } from 'node:assert';
import { LoginThrottle } from '../../../services/dispatcher/src/admin/login-throttle.js';
import { clientKey } from '../../../services/dispatcher/src/admin/client-key.js';

describe('admin login throttle', () => {
  let now: number;
  const throttle = (options: Partial<ConstructorParameters<typeof LoginThrottle>[0]> = {}) =>
    new LoginThrottle({ freeFailures: 3, globalFreeFailures: 10, baseDelayMs: 1000, maxDelayMs: 8000, globalMaxDelayMs: 4000, forgetAfterMs: 60_000, maxClients: 100, now: () => now, ...options });
  const fail = (t: LoginThrottle, client: string, times: number) => {
    for (let i = 0; i < times; i++) {
      assert.equal(t.retryAfterMs(client), 0, `failure ${i + 1} of ${client} is allowed to be tried`);
      t.failed(client);
    }
  };

  beforeEach(() => {
    now = 5_000_000;
  });

  it('when a client fails fewer times than allowed, then it is never held back', () => {
    const t = throttle();
    fail(t, 'a', 2);
    assert.equal(t.retryAfterMs('a'), 0);
  });

  it('when a client keeps failing, then it waits 1 s, 2 s, 4 s, ... up to the cap after each further failure, and others are not held back', () => {
    const t = throttle();
    fail(t, 'a', 3);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const wait = t.retryAfterMs('a');
      waits.push(wait);
      now += wait - 1;
      assert.equal(t.retryAfterMs('a'), 1, 'still held back 1 ms before the end');
      now += 1;
      fail(t, 'a', 1);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
    assert.equal(t.retryAfterMs('b'), 0, 'another client is not held back');
  });

  it('when a client succeeds, then its failures are forgotten', () => {
    const t = throttle();
    fail(t, 'a', 2);
    t.succeeded('a');
    fail(t, 'a', 2);
    assert.equal(t.retryAfterMs('a'), 0);
  });

  it('when a client stops failing for long enough, then its failures are forgotten', () => {
    const t = throttle();
    fail(t, 'a', 3);
    now += 60_001;
    fail(t, 'a', 2);
    assert.equal(t.retryAfterMs('a'), 0);
  });

  it('when many clients fail a few times each, then every client is held back once the global limit is passed', () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) fail(t, `client-${i}`, 2);
    assert.equal(t.retryAfterMs('fresh'), 1000, 'a client that never failed waits too');
    now += 1000;
    fail(t, 'client-9', 1);
    assert.equal(t.retryAfterMs('fresh'), 2000);
  });

  it('when more clients fail than the throttle tracks, then memory stays bounded and the global limit still holds', () => {
    const t = throttle({ maxClients: 50, globalFreeFailures: 1_000_000 });
    for (let i = 0; i < 10_000; i++) t.failed(`client-${i}`);
    assert.ok(t.trackedClients <= 50, `${t.trackedClients} clients tracked`);
  });

  it('when addresses are turned into client keys, then IPv4 (also mapped) is per address and IPv6 per /64', () => {
    assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('2001:db8:1:2:aaaa::1'), clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    assert.notEqual(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:3::1'));
    assert.equal(clientKey('::1'), clientKey('0:0:0:0:0:0:0:1'));
    assert.equal(clientKey(''), 'unknown');
  });
});

import { strict as assert } from 'node:assert';
import { createLogger } from '../../../../shared/src/index.js';

describe('createLogger', () => {
  it('when lines are written, then each is one JSON object with level, service and bound fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', name: 'ingress', sink: (line) => lines.push(line) });
    logger.child({ requestId: 'r1' }).info('accepted', { event: 'meeting.started' });
    logger.debug('hidden below the level');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.service, 'ingress');
    assert.equal(line.msg, 'accepted');
    assert.equal(line.requestId, 'r1');
    assert.equal(line.event, 'meeting.started');
  });

  it('when a field holds a secret at any depth, then its value never reaches the sink', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', name: 't', sink: (line) => lines.push(line) });
    logger.warn('oops', { body: { streamKey: 'sk_live_123', nested: { signature: 'c2ln' } }, authorization: 'Bearer x' });
    assert.ok(!lines[0]?.includes('sk_live_123'), lines[0]);
    assert.ok(!lines[0]?.includes('c2ln'), lines[0]);
    assert.ok(!lines[0]?.includes('Bearer x'), lines[0]);
  });

  it('when a secret field is spelled in another case or with _ or - (the shared list), then its value never reaches the sink', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', name: 't', sink: (line) => lines.push(line) });
    logger.info('odd spellings', {
      StreamKey: 'v-1',
      body: { stream_key: 'v-2', meeting: { participants: [{ access_token: 'v-3', 'Client-Secret': 'v-4' }] } },
      headers: { 'x-api-key': 'v-5', Cookie: 'v-6', 'dyte-signature': 'v-7' },
      tokenId: 'kept-1',
    });
    for (const value of ['v-1', 'v-2', 'v-3', 'v-4', 'v-5', 'v-6', 'v-7']) assert.ok(!lines[0]?.includes(value), `${value} in ${lines[0]}`);
    assert.ok(lines[0]?.includes('kept-1'), 'an id named after a secret is kept');
  });

  it('when a URL with a user and password is logged in a field or an error message, then the userinfo is not written', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', name: 't', sink: (line) => lines.push(line) });
    logger.error('key fetch failed', {
      url: 'https://keyuser:keypass@api.example/.well-known/webhooks.json',
      error: new Error('could not reach redis://:redispass@cache.example:6379/0'),
    });
    assert.ok(!lines[0]?.includes('keypass') && !lines[0]?.includes('keyuser'), lines[0]);
    assert.ok(!lines[0]?.includes('redispass'), lines[0]);
    assert.ok(lines[0]?.includes('api.example/.well-known/webhooks.json'), 'the rest of the URL stays');
  });

  it('when an error is logged, then its code, message and cause are kept', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', name: 't', sink: (line) => lines.push(line) });
    const error = Object.assign(new Error('broker down', { cause: new Error('ECONNREFUSED') }), { code: 'KAFKA_UNAVAILABLE' });
    logger.error('produce failed', { error });
    const line = JSON.parse(lines[0] ?? '') as { error: { code: string; message: string; cause: { message: string } } };
    assert.equal(line.error.code, 'KAFKA_UNAVAILABLE');
    assert.equal(line.error.message, 'broker down');
    assert.equal(line.error.cause.message, 'ECONNREFUSED');
  });
});

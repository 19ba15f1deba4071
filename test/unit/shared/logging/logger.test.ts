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

  const capture = (level: 'debug' | 'info' = 'debug') => {
    const lines: string[] = [];
    const logger = createLogger({ level, name: 'svc', sink: (line) => lines.push(line) });
    const only = () => {
      assert.equal(lines.length, 1, `one line: ${lines.join(' | ')}`);
      assert.ok(!lines[0]?.includes('\n'), 'one line, no newline inside');
      return JSON.parse(lines[0] ?? '') as Record<string, any>;
    };
    return { lines, logger, only };
  };

  it('when a field holds a cycle, then the line is written with [Circular] in its place and nothing is lost around it', () => {
    const { logger, only } = capture();
    const job: Record<string, unknown> = { id: 'j1', data: { kind: 'chat' } };
    job.self = job;
    (job.data as Record<string, unknown>).parent = job;
    const shared = { n: 1 };
    logger.info('cycle', { job, twice: [shared, shared] });
    const line = only();
    assert.equal(line.job.id, 'j1');
    assert.equal(line.job.self, '[Circular]');
    assert.equal(line.job.data.parent, '[Circular]');
    assert.deepEqual(line.twice, [{ n: 1 }, { n: 1 }], 'the same object twice is not a cycle');
  });

  it('when an error has a chain of causes (and one points back), then every cause is written with its name, message, code and stack', () => {
    const { logger, only } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });
    const middle = new TypeError('socket closed', { cause: root });
    const top = Object.assign(new Error('Kafka did not acknowledge the event', { cause: middle }), { code: 'KAFKA_UNAVAILABLE', retriable: true });
    (root as Error & { cause?: unknown }).cause = top;
    logger.error('produce failed', { error: top });
    const line = only();
    assert.equal(line.error.name, 'Error');
    assert.equal(line.error.code, 'KAFKA_UNAVAILABLE');
    assert.equal(line.error.retriable, true);
    assert.match(line.error.stack, /Kafka did not acknowledge/);
    assert.equal(line.error.cause.name, 'TypeError');
    assert.equal(line.error.cause.message, 'socket closed');
    assert.equal(line.error.cause.cause.code, 'ECONNREFUSED');
    assert.equal(line.error.cause.cause.cause, '[Circular]');
  });

  it('when an AggregateError is logged, then each error it aggregates is written, with its cause', () => {
    const { logger, only } = capture();
    const error = new AggregateError([new Error('a down'), new Error('b down', { cause: new Error('b refused') }), 'not an error'], 'all brokers down');
    logger.warn('connect failed', { error });
    const line = only();
    assert.equal(line.error.name, 'AggregateError');
    assert.equal(line.error.message, 'all brokers down');
    assert.deepEqual(line.error.errors.map((e: { message?: string }) => e.message ?? e), ['a down', 'b down', 'not an error']);
    assert.equal(line.error.errors[1].cause.message, 'b refused');
  });

  it('when fields or child bindings use time, level, msg or service, then the line keeps its own and writes theirs as field.<name>', () => {
    const { logger, only } = capture();
    logger.child({ service: 'spoofed', level: 'bound' }).info('real message', { time: 'then', level: 'error', msg: 'spoofed message', service: 'other' });
    const line = only();
    assert.equal(line.msg, 'real message');
    assert.equal(line.level, 'info');
    assert.equal(line.service, 'svc');
    assert.ok(!Number.isNaN(Date.parse(line.time)) && line.time !== 'then', line.time);
    assert.equal(line['field.msg'], 'spoofed message');
    assert.equal(line['field.level'], 'error');
    assert.equal(line['field.time'], 'then');
    assert.equal(line['field.service'], 'other');
    const raw = capture();
    raw.logger.child({ level: 'bound', requestId: 'r1' }).info('m', { level: 'x', requestId: 'r2' });
    assert.equal((raw.lines[0]?.match(/"level":/g) ?? []).length, 1, `one "level" key: ${raw.lines[0]}`);
    assert.equal((raw.lines[0]?.match(/"field\.level":/g) ?? []).length, 1, `one "field.level" key: ${raw.lines[0]}`);
    assert.equal((raw.lines[0]?.match(/"requestId":"r2"/g) ?? []).length, 1, `a field given again replaces the bound one: ${raw.lines[0]}`);
    assert.ok(!raw.lines[0]?.includes('r1'), raw.lines[0]);
  });

  it('when secrets sit deep (in arrays, Maps, an error and its cause, child bindings), then none reaches the sink', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error('refused', { cause: Object.assign(new Error('inner'), { headers: { authorization: 'v-1' } }) }), {
      request: { headers: { 'x-api-key': 'v-2' } },
    });
    logger.child({ credentials: { user: 'u', password: 'v-3' } }).error('failed', {
      error,
      list: [[{ deeper: [{ access_token: 'v-4' }] }]],
      map: new Map([['clientSecret', 'v-5']]),
      url: new URL('https://user:v-6@host.example/path'),
    });
    logger.info('in the message https://user:v-7@host.example/x');
    for (const value of ['v-1', 'v-2', 'v-3', 'v-4', 'v-5', 'v-6', 'v-7']) assert.ok(!lines.join('\n').includes(value), `${value} in ${lines.join('\n')}`);
    assert.ok(lines[0]?.includes('host.example/path'), 'the rest of the URL stays');
  });

  it('when a field holds a bigint, a Date, a Buffer, a function or a throwing getter, then the line is still written', () => {
    const { logger, only } = capture();
    const odd = Object.defineProperty({ ok: 1 }, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    logger.info('odd values', { offset: 12345678901234567890n, at: new Date(0), bytes: Buffer.alloc(3), fn: () => 1, odd, nan: Number.NaN });
    const line = only();
    assert.equal(line.offset, '12345678901234567890');
    assert.equal(line.at, '1970-01-01T00:00:00.000Z');
    assert.equal(line.bytes, '[Buffer 3 bytes]');
    assert.ok(!('fn' in line));
    assert.deepEqual(line.odd, { ok: 1, boom: '[unreadable]' });
    assert.equal(line.nan, 'NaN');
  });

  it('when a field is huge (a typed array, an object of many fields, an array of many items, a deep nest), then the line stays bounded', () => {
    const { logger, only } = capture();
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { deep };
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    logger.info('huge', { bytes: new Uint8Array(1_000_000), wide, many: Array.from({ length: 10_000 }, (_, i) => i), deep });
    const line = only();
    assert.equal(line.bytes, '[Uint8Array 1000000 bytes]');
    assert.equal(Object.keys(line.wide).length, 201);
    assert.equal(line.wide['…'], '9800 more fields');
    assert.equal(line.many.length, 201);
    assert.match(JSON.stringify(line.deep), /\[Too deep\]/);
    assert.ok(JSON.stringify(line).length < 20_000, `${JSON.stringify(line).length} characters`);
  });

  it('when the level is info, then debug lines are dropped and the others keep their level name', () => {
    const { lines, logger } = capture('info');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { level: string }).level), ['info', 'warn', 'error']);
  });
});

import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { createSigningKey } from '../../helpers/signing-key.js';
import { waitFor } from '../../helpers/wait-for.js';

/** One hostile (or borderline) request and the answer it must get. */
interface Case {
  name: string;
  /** Raw body bytes; signed with the ingress's key unless `signature` says otherwise. */
  body: Buffer | string;
  signature?: string | null | ((raw: Buffer) => string);
  headers?: Record<string, string>;
  status: number;
  code?: string;
  /** For accepted cases: how it was stored. */
  stored?: 'typed' | 'raw';
}

const started = JSON.stringify(fixture('seed', 'meeting-started'));
const other = createSigningKey();
const deepArrays = `{"event":"meeting.started","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
const deepObjects = `{"event":"meeting.started","x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
const withMeeting = (meeting: unknown) => JSON.stringify({ event: 'meeting.started', meeting });

const cases: Case[] = [
  // Signatures
  { name: 'no signature header', body: started, signature: null, status: 401, code: 'SIGNATURE_MISSING' },
  { name: 'empty signature header', body: started, signature: '', status: 401, code: 'SIGNATURE_MISSING' },
  { name: 'whitespace signature', body: started, signature: '   ', status: 401, code: 'SIGNATURE_MISSING' },
  { name: 'forged base64 signature', body: started, signature: Buffer.alloc(256, 7).toString('base64'), status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'signature with non-base64 characters', body: started, signature: '!!!$$$%%%', status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'valid signature over another body', body: started, signature: (_raw) => other.sign('{"event":"meeting.ended"}'), status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'signature by another key', body: started, signature: (raw) => other.sign(raw), status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'body changed by one byte after signing', body: started.replace('Dyte', 'Dyto'), signature: 'of-original', status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'truncated signature', body: started, signature: 'half', status: 401, code: 'SIGNATURE_INVALID' },
  // (A signature over the compact JSON of the same content is authentic: Dyte's sample code signs that form.)
  { name: 'signature over neither the raw bytes nor the compact JSON', body: `${started}\n`, signature: 'other-spacing', status: 401, code: 'SIGNATURE_INVALID' },
  // Content type and size
  { name: 'no content type', body: started, headers: { 'content-type': '' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'text/plain', body: started, headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'form encoded', body: started, headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'multipart', body: started, headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'application/xml', body: started, headers: { 'content-type': 'application/xml' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'json with charset', body: started, headers: { 'content-type': 'application/json; charset=utf-8' }, status: 202, stored: 'typed' },
  { name: 'a +json media type', body: started, headers: { 'content-type': 'application/vnd.dyte+json' }, status: 202, stored: 'typed' },
  { name: 'oversized body', body: JSON.stringify({ event: 'meeting.started', pad: 'x'.repeat(70_000) }), status: 413, code: 'BODY_TOO_LARGE' },
  // Bodies that are not a JSON object with an event
  { name: 'empty body', body: '', status: 400, code: 'INVALID_JSON' },
  { name: 'truncated JSON', body: started.slice(0, 40), status: 400, code: 'INVALID_JSON' },
  { name: 'invalid UTF-8', body: Buffer.concat([Buffer.from('{"event":"meeting.started","t":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), status: 400, code: 'INVALID_UTF8' },
  { name: 'overlong UTF-8 encoding', body: Buffer.concat([Buffer.from('{"event":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), status: 400, code: 'INVALID_UTF8' },
  { name: 'a JSON array', body: '[1,2,3]', status: 400, code: 'BODY_NOT_OBJECT' },
  { name: 'a JSON string', body: '"meeting.started"', status: 400, code: 'BODY_NOT_OBJECT' },
  { name: 'a JSON number', body: '42', status: 400, code: 'BODY_NOT_OBJECT' },
  { name: 'JSON null', body: 'null', status: 400, code: 'BODY_NOT_OBJECT' },
  { name: 'JSON true', body: 'true', status: 400, code: 'BODY_NOT_OBJECT' },
  { name: 'no event field', body: '{"meeting":{"id":"m"}}', status: 400, code: 'EVENT_MISSING' },
  { name: 'numeric event', body: '{"event":42}', status: 400, code: 'EVENT_MISSING' },
  { name: 'empty event', body: '{"event":""}', status: 400, code: 'EVENT_MISSING' },
  { name: 'blank event', body: '{"event":"   "}', status: 400, code: 'EVENT_MISSING' },
  { name: 'null event', body: '{"event":null}', status: 400, code: 'EVENT_MISSING' },
  { name: 'object event', body: '{"event":{"name":"meeting.started"}}', status: 400, code: 'EVENT_MISSING' },
  { name: 'an event name of 300 characters', body: JSON.stringify({ event: `meeting.${'x'.repeat(292)}` }), status: 400, code: 'EVENT_INVALID' },
  { name: 'arrays nested 5000 deep', body: deepArrays, status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'objects nested 5000 deep', body: deepObjects, status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'NaN literal', body: '{"event":"meeting.started","n":NaN}', status: 400, code: 'INVALID_JSON' },
  { name: 'trailing garbage', body: `${started}xyz`, status: 400, code: 'INVALID_JSON' },
  { name: 'single-quoted JSON', body: "{'event':'meeting.started'}", status: 400, code: 'INVALID_JSON' },
  { name: 'JSON with a comment', body: '{"event":"meeting.started" /* hi */}', status: 400, code: 'INVALID_JSON' },
  { name: 'NUL bytes', body: Buffer.from([0, 0, 0, 0]), status: 400, code: 'INVALID_JSON' },
  // Authentic but odd: accepted, nothing lost
  { name: 'brackets inside strings do not count as nesting', body: JSON.stringify({ event: 'meeting.started', meeting: { id: 'm', title: '['.repeat(1000) } }), status: 202, stored: 'typed' },
  { name: 'a lone surrogate in a string', body: '{"event":"meeting.started","meeting":{"id":"m","title":"\\ud800"}}', status: 202, stored: 'typed' },
  { name: 'duplicate keys (the last wins)', body: '{"event":"meeting.ended","event":"meeting.started","meeting":{"id":"m"}}', status: 202, stored: 'typed' },
  { name: 'a __proto__ key', body: '{"event":"meeting.started","meeting":{"id":"m"},"__proto__":{"polluted":true}}', status: 202, stored: 'typed' },
  { name: 'a constructor key', body: '{"event":"meeting.started","meeting":{"id":"m"},"constructor":{"prototype":1}}', status: 202, stored: 'typed' },
  { name: 'a 50 kB extra field', body: JSON.stringify({ event: 'meeting.started', meeting: { id: 'm' }, notes: 'n'.repeat(50_000) }), status: 202, stored: 'typed' },
  { name: 'a missing meeting object', body: '{"event":"meeting.started"}', status: 202, stored: 'raw' },
  { name: 'a numeric meeting id', body: withMeeting({ id: 7 }), status: 202, stored: 'raw' },
  { name: 'a meeting that is an array', body: withMeeting([{ id: 'm' }]), status: 202, stored: 'raw' },
  { name: 'an unparseable timestamp', body: withMeeting({ id: 'm', createdAt: '13/12/2022' }), status: 202, stored: 'raw' },
  { name: 'an impossible date', body: withMeeting({ id: 'm', createdAt: '2022-02-30T00:00:00Z' }), status: 202, stored: 'raw' },
  { name: 'a fileSize that is an object', body: JSON.stringify({ event: 'recording.statusUpdate', recording: { status: 'UPLOADED', fileSize: { n: 1 } } }), status: 202, stored: 'raw' },
  { name: 'an unknown event type', body: '{"event":"meeting.pollCreated","meeting":{"id":"m"}}', status: 202, stored: 'raw' },
  { name: 'an event named like an Object.prototype member', body: '{"event":"toString"}', status: 202, stored: 'raw' },
  { name: 'an event named __proto__', body: '{"event":"__proto__","x":1}', status: 202, stored: 'raw' },
  { name: 'an unknown resource', body: '{"event":"whiteboard.saved","streamKey":"sk_secret_999"}', status: 202, stored: 'raw' },
  { name: 'a 10 kB delivery id header', body: started, headers: { 'dyte-uuid': 'u'.repeat(10_000) }, status: 202, stored: 'typed' },
];

describe('ingress: hostile input corpus', function () {
  this.timeout(120_000);
  let ingress: IngressUnderTest;

  before(async () => {
    ingress = await startIngress({ settings: { maxBodyBytes: 64 * 1024, requestTimeoutMs: 1500 } });
  });
  after(async () => {
    await ingress?.stop();
  });

  const send = (c: Case) => {
    const raw = Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body);
    let signature: string | null | undefined;
    if (c.signature === 'of-original') signature = ingress.key.sign(started);
    else if (c.signature === 'half') signature = ingress.key.sign(raw).slice(0, 100);
    else if (c.signature === 'other-spacing') signature = ingress.key.sign(`${started} `);
    else if (typeof c.signature === 'function') signature = c.signature(raw);
    else signature = c.signature;
    return postWebhook(ingress, undefined, { raw, signature, headers: c.headers });
  };

  it(`when ${cases.length} hostile or odd requests arrive, then each gets its status and code, and only the accepted reach Kafka`, async () => {
    assert.ok(cases.length >= 50, `${cases.length} cases`);
    const offsetsBefore = await endOffsets(ingress);
    const failures: string[] = [];
    let accepted = 0;
    for (const c of cases) {
      const answer = await send(c);
      const code = (answer.body.error as { code?: string } | undefined)?.code;
      if (answer.status !== c.status || (c.code && code !== c.code) || (c.stored && answer.body.stored !== c.stored)) {
        failures.push(`${c.name}: got ${answer.status} ${code ?? String(answer.body.stored)}, want ${c.status} ${c.code ?? c.stored}`);
      }
      if (answer.status >= 400) {
        const message = (answer.body.error as { message?: string } | undefined)?.message ?? '';
        if (message.length < 10) failures.push(`${c.name}: the error message "${message}" says too little`);
      }
      if (answer.status === 202) accepted++;
    }
    assert.deepEqual(failures, []);
    const offsetsAfter = await endOffsets(ingress);
    assert.equal(offsetsAfter - offsetsBefore, accepted, 'exactly the accepted requests are on Kafka');
    assert.equal((await fetch(`${ingress.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${ingress.url}/readyz`)).status, 200);
  });

  it('when the corpus is replayed many times, then the heap stays flat', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'mocha runs with --expose-gc (.mocharc.json)');
    const rejected = cases.filter((c) => c.status !== 202);
    const round = async () => {
      for (const c of rejected) await send(c);
    };
    await round();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 5; i++) await round();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 10 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB over 5 rounds of ${rejected.length} requests`);
  });

  it('when a client sends its headers slowly (slowloris), then the connection is cut and others are still served', async () => {
    const { port } = new URL(ingress.url);
    const socket = connect(Number(port), '127.0.0.1');
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write('POST /webhooks/dyte HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    try {
      const answer = await postWebhook(ingress, fixture('seed', 'meeting-ended'));
      assert.equal(answer.status, 202, 'served while the slow client hangs on');
      await waitFor(() => closed, { timeoutMs: 15_000, description: 'the slow connection to be cut' });
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });
});

/** The sum of the end offsets of every topic the ingress writes. */
async function endOffsets(ingress: IngressUnderTest): Promise<number> {
  const admin = ingress.kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const resource of ['meeting', 'recording', 'livestreaming', 'unknown'] as const) {
      for (const { high } of await admin.fetchTopicOffsets(ingress.app.topics[resource])) total += Number(high);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

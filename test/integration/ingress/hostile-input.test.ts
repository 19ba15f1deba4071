import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { createSigningKey } from '../../../shared/src/index.js';
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
  // A genuinely signed body re-serialised into new bytes is not authentic (the compact-JSON fallback is off by default).
  { name: 'the signed body re-serialised with other whitespace', body: JSON.stringify(JSON.parse(started), null, 2), signature: 'of-original', status: 401, code: 'SIGNATURE_INVALID' },
  { name: 'the signed body re-serialised with its keys reordered', body: reordered(started), signature: 'of-original', status: 401, code: 'SIGNATURE_INVALID' },
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
  // Secrets in any spelling and at any depth: accepted, but no secret value may reach Kafka (checked after the run).
  { name: 'secrets in other spellings on a typed event (extraJson)', body: JSON.stringify({ ...JSON.parse(started), StreamKey: 'LEAK-1', STREAMKEY: 'LEAK-2', stream_key: 'LEAK-3', 'Stream-Key': 'LEAK-4', extra: { access_token: 'LEAK-5', list: [{ Client_Secret: 'LEAK-6' }, { deeper: { Authorization: 'Bearer LEAK-7' } }] } }), status: 202, stored: 'typed' },
  { name: 'secrets inside a modelled object of a typed event', body: JSON.stringify({ ...JSON.parse(started), meeting: { ...(JSON.parse(started) as { meeting: object }).meeting, password: 'LEAK-8', organizedBy: { id: 'o', name: 'n', apiKey: 'LEAK-9' } } }), status: 202, stored: 'typed' },
  { name: 'a livestream with stream_key (RTK spelling)', body: JSON.stringify({ event: 'livestreaming.statusUpdate', streamId: 's-1', status: 'LIVE', stream_key: 'LEAK-10', ingest: { STREAM_KEY: 'LEAK-11' } }), status: 202, stored: 'typed' },
  { name: 'secrets nested in a RawEvent', body: JSON.stringify({ event: 'meeting.pollCreated', meeting: { id: 'm' }, a: { b: [{ c: { privateKey: 'LEAK-12', 'x-api-key': 'LEAK-13', refresh_token: 'LEAK-14' } }] }, Cookie: 'LEAK-15' }), status: 202, stored: 'raw' },
  { name: 'secrets in a body that breaks its schema (RawEvent)', body: JSON.stringify({ event: 'meeting.started', meeting: { id: 7, streamKey: 'LEAK-16' }, webhook: { signature: 'LEAK-17', SECRET: 'LEAK-18' } }), status: 202, stored: 'raw' },
];

/** The same JSON with the keys of every object in reverse order, compact. */
function reordered(text: string): string {
  const flip = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(flip)
      : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, flip(v)]))
        : value;
  return JSON.stringify(flip(JSON.parse(text)));
}

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
    // Decoded as a consumer would: no secret value in any spelling, in a typed record, its extraJson or a RawEvent.
    const landed = await decodedRecords(ingress);
    assert.equal(landed.length, offsetsAfter);
    for (const { bytes, json } of landed) {
      assert.ok(!/LEAK-|sk_secret_999/.test(json), json);
      assert.ok(!/LEAK-|sk_secret_999/.test(bytes.toString('latin1')), 'not in the raw bytes either');
    }
    assert.ok(landed.some(({ json }) => json.includes('"ingest":{}') || json.includes('\\"ingest\\":{}')), 'the object that held the secret is still there');
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

  it('when a chunked body that never ends follows a text/plain content type, then the 415 comes with Connection: close and the socket is closed without the body being read', async () => {
    // Its own ingress, whose request timeout cannot be what ends the connection.
    const patient = await startIngress({ settings: { requestTimeoutMs: 120_000 }, waitReady: false });
    const socket = connect(Number(new URL(patient.url).port), '127.0.0.1');
    try {
      let answer = '';
      let closed = false;
      let written = 0;
      let writtenAtAnswer = -1;
      socket.on('data', (data: Buffer) => {
        answer += data.toString('latin1');
        if (writtenAtAnswer < 0) writtenAtAnswer = written;
      });
      socket.on('close', () => (closed = true));
      socket.on('error', () => undefined);
      socket.write('POST /webhooks/dyte HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
      const payload = Buffer.alloc(64 * 1024, 'a');
      const chunk = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')]);
      // Writes as fast as the server reads, up to 300 MiB; the last chunk never comes.
      const pump = () => {
        while (!closed && socket.writable && written < 300 * 1024 * 1024) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
      await waitFor(() => closed, { timeoutMs: 10_000, description: `the server to close the socket (answer so far: ${JSON.stringify(answer.slice(0, 200))})` });
      assert.match(answer, /^HTTP\/1\.1 415 /);
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.match(answer, /UNSUPPORTED_MEDIA_TYPE/);
      const readAfterAnswer = written - writtenAtAnswer;
      assert.ok(readAfterAnswer < 32 * 1024 * 1024, `${(readAfterAnswer / 1024 / 1024).toFixed(1)} MiB were taken after the answer`);
    } finally {
      socket.destroy();
      await patient.stop();
    }
  });
});

describe('ingress: the compact-JSON signature fallback, turned on (DYTE_WEBHOOK_COMPACT_JSON_FALLBACK=true)', function () {
  this.timeout(120_000);
  let ingress: IngressUnderTest;
  const cap = 4096;

  before(async () => {
    ingress = await startIngress({ settings: { compactJsonFallback: true, compactJsonMaxBytes: cap } });
  });
  after(async () => {
    await ingress?.stop();
  });

  it('when a body is re-serialised with other whitespace and signed only in its original form, then it is accepted with the same delivery as the original', async () => {
    const body = { ...fixture('seed', 'meeting-started'), note: `fallback-${Date.now()}` };
    const original = Buffer.from(JSON.stringify(body));
    const pretty = Buffer.from(JSON.stringify(body, null, 2));
    const signature = ingress.key.sign(original);
    const first = await postWebhook(ingress, undefined, { raw: original, signature, headers: { 'dyte-webhook-id': 'wh' } });
    const replay = await postWebhook(ingress, undefined, { raw: pretty, signature, headers: { 'dyte-webhook-id': 'wh' } });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(replay.status, 202, JSON.stringify(replay.body));
    assert.equal(replay.body.deliveryId, first.body.deliveryId, 'no uuid header: the delivery id is the canonical body hash, the same for both');
    const deliveries = await Promise.all(
      (await consumeMessages(ingress.kafka, ingress.app.topics.meeting, 2)).map(async (m) => (await ingress.plainRegistry.decode(m.value ?? Buffer.alloc(0))).delivery as Record<string, unknown>),
    );
    const [a, b] = deliveries.map(({ receivedAt: _receivedAt, ...rest }) => rest);
    assert.deepEqual(b, a, 'the re-serialised replay has the same delivery, receivedAt aside');
    assert.equal(a?.deliveryId, a?.bodySha256);
  });

  it('when a re-serialised body has its keys reordered, then even the fallback refuses it', async () => {
    const text = JSON.stringify(fixture('seed', 'meeting-ended'));
    const answer = await postWebhook(ingress, undefined, { raw: Buffer.from(reordered(text)), signature: ingress.key.sign(text) });
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
  });

  it('when a body over DYTE_WEBHOOK_COMPACT_JSON_MAX_BYTES is signed only in its compact form, then it is refused 401 without the fallback', async () => {
    const body = { ...fixture('seed', 'meeting-started'), padding: 'p'.repeat(cap) };
    const pretty = Buffer.from(JSON.stringify(body, null, 2));
    assert.ok(pretty.length > cap);
    const answer = await postWebhook(ingress, undefined, { raw: pretty, signature: ingress.key.sign(JSON.stringify(body)) });
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
    assert.equal((answer.body.error as { code: string }).code, 'SIGNATURE_INVALID');
  });
});

/** Every record on the ingress's topics, as bytes and decoded with a registry-only client. */
async function decodedRecords(ingress: IngressUnderTest): Promise<{ bytes: Buffer; json: string }[]> {
  const admin = ingress.kafka.admin();
  await admin.connect();
  const counts: [string, number][] = [];
  try {
    for (const resource of ['meeting', 'recording', 'livestreaming', 'unknown'] as const) {
      const topic = ingress.app.topics[resource];
      counts.push([topic, (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0)]);
    }
  } finally {
    await admin.disconnect();
  }
  const records: { bytes: Buffer; json: string }[] = [];
  for (const [topic, count] of counts) {
    for (const message of await consumeMessages(ingress.kafka, topic, count)) {
      const bytes = message.value ?? Buffer.alloc(0);
      records.push({ bytes, json: JSON.stringify(await ingress.plainRegistry.decode(bytes), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) });
    }
  }
  return records;
}

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

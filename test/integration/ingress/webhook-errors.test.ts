import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { createLogger, createSigningKey, listen, listeningPort } from '../../../shared/src/index.js';
import { urlKeySource } from '../../../services/ingress/src/signature/public-key-source.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';

describe('ingress: error answers', function () {
  this.timeout(60_000);
  let ingress: IngressUnderTest;
  const body = fixture('seed', 'meeting-started');

  before(async () => {
    ingress = await startIngress({ settings: { maxBodyBytes: 4096 } });
  });
  after(async () => {
    await ingress?.stop();
  });

  const expectError = (answer: { status: number; body: Record<string, unknown> }, status: number, code: string, text: RegExp) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    const error = answer.body.error as { code: string; message: string };
    assert.equal(error.code, code);
    assert.match(error.message, text);
  };

  it('when the signature header is missing, then 401 SIGNATURE_MISSING', async () => {
    expectError(await postWebhook(ingress, body, { signature: null }), 401, 'SIGNATURE_MISSING', /dyte-signature/);
  });

  it('when the signature is forged, of another key, or over another body, then 401 SIGNATURE_INVALID', async () => {
    const raw = Buffer.from(JSON.stringify(body));
    for (const signature of ['Zm9yZ2Vk', createSigningKey().sign(raw), ingress.key.sign('{"event":"meeting.ended"}')]) {
      expectError(await postWebhook(ingress, body, { signature }), 401, 'SIGNATURE_INVALID', /does not match/);
    }
  });

  it('when the signed body is not JSON, then 400 INVALID_JSON', async () => {
    expectError(await postWebhook(ingress, '{"event": "meeting.started",'), 400, 'INVALID_JSON', /not valid JSON/);
  });

  it('when the signed body has no event, then 400 EVENT_MISSING naming the field', async () => {
    expectError(await postWebhook(ingress, { meeting: { id: 'm' } }), 400, 'EVENT_MISSING', /"event" is required/);
    expectError(await postWebhook(ingress, [1, 2]), 400, 'BODY_NOT_OBJECT', /JSON object/);
  });

  it('when the body is over INGRESS_MAX_BODY_BYTES, then 413 BODY_TOO_LARGE', async () => {
    const big = { ...body, padding: 'x'.repeat(5000) };
    expectError(await postWebhook(ingress, big), 413, 'BODY_TOO_LARGE', /4096 bytes/);
  });

  it('when the content type is not JSON, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    expectError(
      await postWebhook(ingress, body, { headers: { 'content-type': 'text/plain' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /text\/plain/,
    );
  });

  it('when another method or path is used, then 405 or 404 with a JSON error', async () => {
    const get = await fetch(`${ingress.url}/webhooks/dyte`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const missing = await fetch(`${ingress.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('when health and readiness are asked on the webhook port and metrics on the metrics port, then they answer', async () => {
    assert.equal((await fetch(`${ingress.url}/healthz`)).status, 200);
    const ready = await fetch(`${ingress.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal((await fetch(`${ingress.url}/metrics`)).status, 404, 'metrics are not on the public webhook port');
    const metrics = await (await fetch(ingress.metricsUrl)).text();
    assert.match(metrics, /dyte_ingress_webhooks_total\{event="none",outcome="SIGNATURE_MISSING"\} 1/);
    assert.match(metrics, /# TYPE dyte_ingress_produce_seconds histogram/);
  });
});

describe('ingress: Kafka unreachable', function () {
  this.timeout(30_000);

  it('when the broker cannot be reached, then a signed webhook is answered 503 with Retry-After, within the deadline', async () => {
    const ingress = await startIngress({ brokers: ['127.0.0.1:1'], waitReady: false });
    try {
      const started = Date.now();
      const answer = await postWebhook(ingress, fixture('seed', 'meeting-started'));
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal((answer.body.error as { code: string }).code, 'NOT_READY');
      assert.ok(Number(answer.headers.get('retry-after')) > 0, 'Retry-After is set');
      assert.ok(Date.now() - started < 3000, 'answered inside Dyte\'s 3 s');
      assert.equal((await fetch(`${ingress.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${ingress.url}/healthz`)).status, 200, 'alive though not ready');
    } finally {
      await ingress.stop();
    }
  });
});

describe('ingress: the public key endpoint is down', function () {
  this.timeout(60_000);

  it('when forged requests arrive, then each gets a 503 naming no URL, the logs hold no userinfo, and the endpoint is asked once', async () => {
    const hits: (string | undefined)[] = [];
    const keyServer = createServer((req, res) => {
      hits.push(req.headers.authorization);
      res.writeHead(503).end('down');
    });
    await listen(keyServer, 0);
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', name: 'ingress-test', sink: (line) => lines.push(line) });
    const keyUrl = `http://keyuser:keypass@127.0.0.1:${listeningPort(keyServer, 0)}/.well-known/webhooks.json?tenant=t-secret`;
    const ingress = await startIngress({ keySource: urlKeySource(keyUrl, { minRefreshIntervalMs: 60_000 }), logger });
    try {
      for (let i = 0; i < 5; i++) {
        const answer = await postWebhook(ingress, fixture('seed', 'meeting-started'), { signature: createSigningKey().sign('forged') });
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        const error = answer.body.error as { code: string; message: string };
        assert.equal(error.code, 'PUBLIC_KEY_UNAVAILABLE');
        assert.equal(error.message, 'the webhook public key is unavailable; retry later');
        assert.ok(Number(answer.headers.get('retry-after')) > 0);
      }
      assert.equal(hits.length, 1, 'one load, remembered as failed for the refresh interval');
      assert.equal(hits[0], `Basic ${Buffer.from('keyuser:keypass').toString('base64')}`, 'the userinfo is sent as Basic credentials');
      const logs = lines.join('\n');
      assert.match(logs, /request failed/);
      for (const part of ['keyuser', 'keypass', 't-secret', 'a2V5dXNlcjprZXlwYXNz']) assert.ok(!logs.includes(part), `"${part}" in the logs:\n${logs}`);
    } finally {
      await ingress.stop();
      keyServer.closeAllConnections();
      await new Promise((resolve) => keyServer.close(resolve));
    }
  });
});


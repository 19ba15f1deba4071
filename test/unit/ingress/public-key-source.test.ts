import { strict as assert } from 'node:assert';
import { ConfigError, createLogger, createSigningKey, UnavailableError } from '../../../shared/src/index.js';
import { keySourceFromConfig } from '../../../services/ingress/src/signature/key-source-from-config.js';
import { urlKeySource } from '../../../services/ingress/src/signature/public-key-source.js';

/** A fetch stand-in serving Dyte's webhooks.json shape with whichever key the test sets. */
function keyEndpoint(initialPem: string) {
  const state = { pem: initialPem, calls: 0, fail: false };
  const fetchImpl = (async () => {
    state.calls++;
    if (state.fail) throw new Error('ECONNREFUSED');
    return new Response(JSON.stringify({ success: true, data: { publicKey: state.pem }, message: '' }));
  }) as typeof fetch;
  return { state, fetchImpl };
}

describe('urlKeySource', () => {
  it('when the key is asked twice, then it is fetched once and cached', async () => {
    const endpoint = keyEndpoint(createSigningKey().publicKeyPem);
    const source = urlKeySource('https://api.example/.well-known/webhooks.json', { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 0 });
    await source.get();
    await source.get();
    assert.equal(endpoint.state.calls, 1);
  });

  it('when the key was rotated, then refresh loads the new one, at most once per interval', async () => {
    const first = createSigningKey();
    const endpoint = keyEndpoint(first.publicKeyPem);
    const source = urlKeySource('https://api.example/k', { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 60_000 });
    const original = await source.get();
    endpoint.state.pem = createSigningKey().publicKeyPem;
    await source.refresh();
    assert.equal(endpoint.state.calls, 1, 'too soon after the last fetch: not fetched again');
    assert.equal(await source.get(), original);

    const eager = urlKeySource('https://api.example/k', { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 0 });
    const before = await eager.get();
    endpoint.state.pem = first.publicKeyPem;
    await eager.refresh();
    assert.notEqual(await eager.get(), before, 'the rotated key was loaded');
  });

  it('when two requests fail at once after a rotation, then both get the new key from one shared fetch', async () => {
    const endpoint = keyEndpoint(createSigningKey().publicKeyPem);
    const source = urlKeySource('https://api.example/k', { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 0 });
    const old = await source.get();
    endpoint.state.pem = createSigningKey().publicKeyPem;
    await Promise.all([source.refresh(), source.refresh()]);
    assert.notEqual(await source.get(), old);
    assert.equal(endpoint.state.calls, 2, 'the first get, then one fetch shared by both refreshes');
  });

  it('when the endpoint is down, then get fails with a retriable PUBLIC_KEY_UNAVAILABLE', async () => {
    const endpoint = keyEndpoint('');
    endpoint.state.fail = true;
    const source = urlKeySource('https://api.example/k', { fetchImpl: endpoint.fetchImpl });
    await assert.rejects(source.get(), (error: unknown) => error instanceof UnavailableError && error.code === 'PUBLIC_KEY_UNAVAILABLE');
  });

  it('when the endpoint is down and 5 forged requests arrive one after another, then the key is fetched once and each answer names no URL', async () => {
    const endpoint = keyEndpoint('');
    endpoint.state.fail = true;
    const source = urlKeySource(SECRET_URL, { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      const error = await source.get().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof UnavailableError && error.code === 'PUBLIC_KEY_UNAVAILABLE', String(error));
      assertNoUrl(error.message);
      assert.equal(error.message, 'the webhook public key is unavailable; retry later');
    }
    assert.equal(endpoint.state.calls, 1, 'a failed load is remembered until the interval passes');
  });

  it('when 5 forged requests arrive at once with no key loaded, then they share one fetch', async () => {
    const endpoint = keyEndpoint('');
    endpoint.state.fail = true;
    const source = urlKeySource(SECRET_URL, { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 60_000 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => source.get()));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(endpoint.state.calls, 1);
  });

  it('when the interval passed after a failed load, then the next request loads again and gets the key', async () => {
    const endpoint = keyEndpoint(createSigningKey().publicKeyPem);
    endpoint.state.fail = true;
    let now = 1_000_000;
    const source = urlKeySource(SECRET_URL, { fetchImpl: endpoint.fetchImpl, minRefreshIntervalMs: 60_000, now: () => now });
    await assert.rejects(source.get());
    endpoint.state.fail = false;
    now += 59_999;
    await assert.rejects(source.get(), 'still inside the interval: the failure is answered again');
    await source.refresh().catch(() => undefined);
    assert.equal(endpoint.state.calls, 1);
    now += 1;
    assert.ok(await source.get());
    assert.equal(endpoint.state.calls, 2);
  });

  it('when the key URL carries a user and password, then they go in an Authorization header, never in the fetched URL or a message', async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return new Response('nope', { status: 500 });
    }) as typeof fetch;
    const source = urlKeySource(SECRET_URL, { fetchImpl });
    const error = await source.get().then(() => undefined, (e: unknown) => e as Error);
    assertNoUrl(error?.message ?? '');
    assertNoUrl(String((error?.cause as Error | undefined)?.message), { hostAllowed: true });
    assert.deepEqual(seen, [{ url: 'https://api.example/.well-known/webhooks.json?tenant=t-secret', authorization: `Basic ${Buffer.from('keyuser:keypass').toString('base64')}` }]);
  });

  it('when the key endpoint answers over a redirect to plain http, then the key is refused', async () => {
    const fetchImpl = (async () => {
      const response = new Response(JSON.stringify({ data: { publicKey: createSigningKey().publicKeyPem } }));
      Object.defineProperty(response, 'url', { value: 'http://evil.example/k' });
      return response;
    }) as typeof fetch;
    const source = urlKeySource('https://api.example/k', { fetchImpl });
    await assert.rejects(source.get(), (error: unknown) => error instanceof UnavailableError && /http/.test(String((error.cause as Error).message)));
  });
});

const SECRET_URL = 'https://keyuser:keypass@api.example/.well-known/webhooks.json?tenant=t-secret';

/** Fails when `text` holds the key URL's userinfo or query (or, unless allowed, its host). */
function assertNoUrl(text: string, options: { hostAllowed?: boolean } = {}): void {
  for (const part of ['keyuser', 'keypass', 't-secret', ...(options.hostAllowed ? [] : ['api.example'])]) {
    assert.ok(!text.includes(part), `"${part}" in: ${text}`);
  }
}

describe('keySourceFromConfig', () => {
  const none = { publicKeyPem: undefined, publicKeyFile: undefined, publicKeyUrl: undefined };

  it('when verification is on and no key is configured, then boot fails naming the three variables', () => {
    assert.throws(() => keySourceFromConfig({ verifySignatures: true, ...none }), (error: unknown) =>
      error instanceof ConfigError && /exactly one of DYTE_WEBHOOK_PUBLIC_KEY, DYTE_WEBHOOK_PUBLIC_KEY_FILE, DYTE_WEBHOOK_PUBLIC_KEY_URL/.test(error.message));
  });

  it('when verification is off, then there is no key source', () => {
    assert.equal(keySourceFromConfig({ verifySignatures: false, ...none }), undefined);
  });

  it('when the PEM is not a key, then boot fails naming the variable', () => {
    assert.throws(() => keySourceFromConfig({ verifySignatures: true, ...none, publicKeyPem: 'hello' }), /DYTE_WEBHOOK_PUBLIC_KEY must be a PEM public key/);
  });

  it('when the key URL is plain http on a loopback host, then it is accepted with a warning', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', name: 't', sink: (line) => lines.push(line) });
    assert.ok(keySourceFromConfig({ verifySignatures: true, ...none, publicKeyUrl: 'http://127.0.0.1:8080/k' }, logger));
    assert.match(lines.join('\n'), /plain http/);
    assert.ok(keySourceFromConfig({ verifySignatures: true, ...none, publicKeyUrl: 'https://api.example/k' }, logger));
    assert.equal(lines.length, 1, 'no warning for https');
  });

  it('when the key URL is plain http on another host, then boot fails naming the variable and the rule', () => {
    assert.throws(() => keySourceFromConfig({ verifySignatures: true, ...none, publicKeyUrl: 'http://keys.example/k' }), (error: unknown) =>
      error instanceof ConfigError && /DYTE_WEBHOOK_PUBLIC_KEY_URL must be an https:\/\/ URL/.test(error.message));
  });

  it('when the PEM comes with literal \\n escapes, then it is accepted', async () => {
    const pem = createSigningKey().publicKeyPem.replace(/\n/g, '\\n');
    const source = keySourceFromConfig({ verifySignatures: true, ...none, publicKeyPem: pem });
    assert.ok(await source?.get());
  });
});

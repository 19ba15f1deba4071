import { strict as assert } from 'node:assert';
import { ConfigError, UnavailableError } from '../../../shared/src/index.js';
import { keySourceFromConfig } from '../../../services/ingress/src/signature/key-source-from-config.js';
import { urlKeySource } from '../../../services/ingress/src/signature/public-key-source.js';
import { createSigningKey } from '../../helpers/signing-key.js';

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
});

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

  it('when the PEM comes with literal \\n escapes, then it is accepted', async () => {
    const pem = createSigningKey().publicKeyPem.replace(/\n/g, '\\n');
    const source = keySourceFromConfig({ verifySignatures: true, ...none, publicKeyPem: pem });
    assert.ok(await source?.get());
  });
});

import { strict as assert } from 'node:assert';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createSigningKey, InvalidInputError } from '../../../shared/src/index.js';
import type { PublicKeySource } from '../../../services/ingress/src/signature/public-key-source.js';
import { verifyWebhookSignature } from '../../../services/ingress/src/signature/verify-webhook-signature.js';

/** A key source that answers `keys[0]` until refreshed, then the next key. */
function rotatingKeySource(keys: KeyObject[]): PublicKeySource & { gets: number; refreshes: number } {
  let current = 0;
  return {
    gets: 0,
    refreshes: 0,
    async get() {
      this.gets++;
      return keys[current] as KeyObject;
    },
    async refresh() {
      this.refreshes++;
      current = Math.min(current + 1, keys.length - 1);
    },
  };
}

const refusedWith = (code: string) => (error: unknown) => {
  assert.ok(error instanceof InvalidInputError, String(error));
  assert.equal(error.code, code);
  assert.equal(error.status, 401);
  return true;
};

describe('verifyWebhookSignature', () => {
  const oldKey = createSigningKey();
  const newKey = createSigningKey();
  const keys = [createPublicKey(oldKey.publicKeyPem), createPublicKey(newKey.publicKeyPem)];
  const body = Buffer.from('{"event":"meeting.started"}');

  it('when neither dyte-signature nor rtk-signature came, then it is SIGNATURE_MISSING and no key is asked for', async () => {
    const source = rotatingKeySource(keys);
    await assert.rejects(verifyWebhookSignature(source, { 'dyte-uuid': 'u' }, body, undefined), refusedWith('SIGNATURE_MISSING'));
    assert.equal(source.gets, 0);
  });

  it('when rtk-signature verifies with the current key, then it passes without a refresh', async () => {
    const source = rotatingKeySource(keys);
    await verifyWebhookSignature(source, { 'rtk-signature': oldKey.sign(body) }, body, undefined);
    assert.equal(source.refreshes, 0);
  });

  it('when the key was rotated, then one refresh brings the newer key and the signature verifies with it', async () => {
    const source = rotatingKeySource(keys);
    await verifyWebhookSignature(source, { 'dyte-signature': newKey.sign(body) }, body, undefined);
    assert.equal(source.refreshes, 1);
  });

  it('when the signature verifies with no key, then it is SIGNATURE_INVALID after a single refresh', async () => {
    const source = rotatingKeySource(keys);
    await assert.rejects(verifyWebhookSignature(source, { 'dyte-signature': createSigningKey().sign(body) }, body, undefined), refusedWith('SIGNATURE_INVALID'));
    assert.equal(source.refreshes, 1);
  });
});

import { strict as assert } from 'node:assert';
import { createPublicKey } from 'node:crypto';
import { verifySignature } from '../../../services/ingress/src/signature/verify-signature.js';
import { createSigningKey } from '../../helpers/signing-key.js';

describe('verifySignature', () => {
  const key = createSigningKey();
  const publicKey = createPublicKey(key.publicKeyPem);
  const pretty = Buffer.from('{\n  "event": "meeting.started",\n  "meeting": {"id": "m-1"}\n}');

  it('when the signature covers the raw bytes, then it verifies', () => {
    assert.equal(verifySignature(publicKey, pretty, key.sign(pretty)), true);
  });

  it('when the signature covers the compact JSON.stringify of the body (Dyte sample), then the fallback verifies it', () => {
    const compactSignature = key.sign(JSON.stringify(JSON.parse(pretty.toString())));
    assert.equal(verifySignature(publicKey, pretty, compactSignature), false, 'not over the raw bytes');
    assert.equal(verifySignature(publicKey, pretty, compactSignature, () => JSON.parse(pretty.toString())), true);
  });

  it('when the body changed, the signature is of another key, or it is garbage, then it fails', () => {
    const signature = key.sign(pretty);
    assert.equal(verifySignature(publicKey, Buffer.from(pretty.toString().replace('m-1', 'm-2')), signature), false);
    assert.equal(verifySignature(publicKey, pretty, createSigningKey().sign(pretty)), false);
    assert.equal(verifySignature(publicKey, pretty, 'not base64 at all!!'), false);
    assert.equal(verifySignature(publicKey, pretty, ''), false);
  });
});

import { strict as assert } from 'node:assert';
import { createPublicKey } from 'node:crypto';
import { verifySignature } from '../../../services/ingress/src/signature/verify-signature.js';
import { createSigningKey } from '../../../shared/src/index.js';

describe('verifySignature', () => {
  const key = createSigningKey();
  const publicKey = createPublicKey(key.publicKeyPem);
  const pretty = Buffer.from('{\n  "event": "meeting.started",\n  "meeting": {"id": "m-1"}\n}');
  const compactSignature = key.sign(JSON.stringify(JSON.parse(pretty.toString())));
  const parsed = () => JSON.parse(pretty.toString()) as unknown;

  it('when the signature covers the raw bytes, then it verifies', () => {
    assert.equal(verifySignature(publicKey, pretty, key.sign(pretty)), true);
  });

  it('when the signature covers only the compact JSON and no fallback is given (the default), then it fails', () => {
    assert.equal(verifySignature(publicKey, pretty, compactSignature), false);
  });

  it('when the compact-JSON fallback is given and the body is within its size, then a signature over the compact JSON verifies', () => {
    assert.equal(verifySignature(publicKey, pretty, compactSignature, { maxBytes: 1024, parsed }), true);
  });

  it('when the body is over the fallback size, then it fails without the body being parsed for the fallback', () => {
    let parses = 0;
    const counting = () => {
      parses++;
      return parsed();
    };
    assert.equal(verifySignature(publicKey, pretty, compactSignature, { maxBytes: pretty.length - 1, parsed: counting }), false);
    assert.equal(parses, 0, 'the fallback was not tried');
    assert.equal(verifySignature(publicKey, pretty, compactSignature, { maxBytes: pretty.length, parsed: counting }), true, 'at the limit it is');
  });

  it('when the raw bytes verify, then the fallback is not tried', () => {
    let parses = 0;
    assert.equal(verifySignature(publicKey, pretty, key.sign(pretty), { maxBytes: 1024, parsed: () => (parses++, parsed()) }), true);
    assert.equal(parses, 0);
  });

  it('when the body does not parse, then the fallback fails instead of throwing', () => {
    const broken = Buffer.from('{"event":');
    const parseBroken = () => JSON.parse(broken.toString()) as unknown;
    assert.equal(verifySignature(publicKey, broken, key.sign('{}'), { maxBytes: 1024, parsed: parseBroken }), false);
  });

  it('when the body changed, the signature is of another key, or it is garbage, then it fails', () => {
    const signature = key.sign(pretty);
    assert.equal(verifySignature(publicKey, Buffer.from(pretty.toString().replace('m-1', 'm-2')), signature), false);
    assert.equal(verifySignature(publicKey, pretty, createSigningKey().sign(pretty)), false);
    assert.equal(verifySignature(publicKey, pretty, 'not base64 at all!!'), false);
    assert.equal(verifySignature(publicKey, pretty, ''), false);
  });
});

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signWebhookBody } from './sign-webhook-body.js';

/** An RSA key pair standing in for Dyte's, and a signer in Dyte's scheme (RSA-SHA256, PKCS#1 v1.5, base64). */
export interface SigningKey {
  publicKeyPem: string;
  privateKey: KeyObject;
  sign(body: Buffer | string): string;
}

/** A fresh 2048-bit key pair (the benchmarks and the tests start an ingress that trusts its public half). */
export function createSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    sign: (body) => signWebhookBody(body, privateKey),
  };
}

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** An RSA key pair standing in for Dyte's, and a signer in Dyte's scheme (RSA-SHA256, PKCS#1 v1.5, base64). */
export interface SigningKey {
  publicKeyPem: string;
  privateKey: KeyObject;
  sign(body: Buffer | string): string;
}

/** A fresh 2048-bit key pair. */
export function createSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    sign: (body) => sign('sha256', Buffer.from(body), privateKey).toString('base64'),
  };
}

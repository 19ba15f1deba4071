import { sign, type KeyLike } from 'node:crypto';

/**
 * The signature Dyte puts in `dyte-signature` / `rtk-signature`: RSA-SHA256 (PKCS#1 v1.5) over the raw body bytes,
 * base64. The ingress verifies it (services/ingress/src/signature/verify-signature.ts); this side is for whatever
 * stands in for Dyte: `dyte-bridge send`, the benchmarks' load, the tests.
 */
export function signWebhookBody(body: Buffer | string, privateKey: KeyLike): string {
  return sign('sha256', Buffer.from(body), privateKey).toString('base64');
}

import { verify, type KeyObject } from 'node:crypto';

/**
 * True when `signatureBase64` is an RSA-SHA256 (PKCS#1 v1.5) signature of the raw body by `key`; failing that,
 * of the compact `JSON.stringify` of the parsed body, which is what Dyte's own sample code signs and verifies.
 */
export function verifySignature(key: KeyObject, body: Buffer, signatureBase64: string, parsed?: () => unknown): boolean {
  const signature = Buffer.from(signatureBase64.trim(), 'base64');
  if (signature.length === 0) return false;
  if (verify('sha256', body, key, signature)) return true;
  if (!parsed) return false;
  let compact: string;
  try {
    compact = JSON.stringify(parsed());
  } catch {
    return false;
  }
  return compact !== undefined && verify('sha256', Buffer.from(compact), key, signature);
}

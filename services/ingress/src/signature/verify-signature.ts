import { verify, type KeyObject } from 'node:crypto';

/**
 * The opt-in fallback for Dyte's sample code, which signs and verifies `JSON.stringify(parsedBody)` rather than
 * the bytes sent. It lets anyone who saw a signed body re-serialise it (other whitespace) into new bytes that still
 * verify, and costs a parse and a second RSA check per refused body, so it is off by default
 * (DYTE_WEBHOOK_COMPACT_JSON_FALLBACK) and only tried for bodies of at most `maxBytes`.
 */
export interface CompactJsonFallback {
  /** Largest raw body the fallback is tried for (DYTE_WEBHOOK_COMPACT_JSON_MAX_BYTES). */
  maxBytes: number;
  /** The parsed body; only called when the fallback is tried. May throw (not JSON): the fallback then fails. */
  parsed: () => unknown;
}

/**
 * True when `signatureBase64` is an RSA-SHA256 (PKCS#1 v1.5) signature of the raw body bytes by `key`. Only with a
 * `fallback`, and only for a body within its size, a signature over the compact JSON of the parsed body counts too.
 */
export function verifySignature(key: KeyObject, body: Buffer, signatureBase64: string, fallback?: CompactJsonFallback): boolean {
  const signature = Buffer.from(signatureBase64.trim(), 'base64');
  if (signature.length === 0) return false;
  if (verify('sha256', body, key, signature)) return true;
  if (!fallback || body.length > fallback.maxBytes) return false;
  let compact: string | undefined;
  try {
    compact = JSON.stringify(fallback.parsed());
  } catch {
    return false;
  }
  return compact !== undefined && verify('sha256', Buffer.from(compact), key, signature);
}

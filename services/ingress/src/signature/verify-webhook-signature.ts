import type { IncomingHttpHeaders } from 'node:http';
import { InvalidInputError } from '../../../../shared/src/index.js';
import type { PublicKeySource } from './public-key-source.js';
import { signatureHeader } from './signature-header.js';
import { verifySignature, type CompactJsonFallback } from './verify-signature.js';

/**
 * Checks a webhook's signature header against its raw body with the source's key, and once more with a newer key
 * when that fails (Dyte may have rotated it). Returns when it verifies; throws a 401 InvalidInputError
 * (SIGNATURE_MISSING, SIGNATURE_INVALID), or the source's UnavailableError when no key can be had.
 */
export async function verifyWebhookSignature(
  keySource: PublicKeySource,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  fallback: CompactJsonFallback | undefined,
): Promise<void> {
  const signature = signatureHeader(headers);
  if (!signature) {
    throw new InvalidInputError('SIGNATURE_MISSING', 'header dyte-signature (or rtk-signature) is required', 401);
  }
  const key = await keySource.get();
  if (verifySignature(key, raw, signature, fallback)) return;
  // The key may have been rotated: fetch it again (rate-limited, or join a fetch under way) and give the
  // signature one more chance with whatever newer key that brought.
  await keySource.refresh();
  const newest = await keySource.get();
  if (newest !== key && verifySignature(newest, raw, signature, fallback)) return;
  throw new InvalidInputError('SIGNATURE_INVALID', 'signature does not match the body for the configured public key', 401);
}

import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * SHA-256 (hex) of a parsed body's canonical JSON (RFC 8785, JCS: keys sorted, no whitespace, numbers in their
 * shortest form), so every re-serialisation of the same content (whitespace, key order, `1e2` for `100`, duplicate
 * keys whose last value wins as in JSON.parse) has one hash. Numbers are what JSON.parse made of them: digits past
 * a double's precision do not count.
 */
export function bodySha256(body: unknown): string {
  let canonical: string | undefined;
  try {
    canonical = canonicalize(body);
  } catch {
    // JCS has no form for a number that overflowed to Infinity (`1e400`): write it as JSON.stringify does, null.
    canonical = canonicalize(JSON.parse(JSON.stringify(body)) as unknown);
  }
  return hash('sha256', canonical ?? '', 'hex');
}

import { createHash } from 'node:crypto';

/** The longest string safeSegment and hashedSegment return. */
export const SAFE_SEGMENT_MAX_LENGTH = 128;

/** Marks the hash suffix. The cleaned, readable part never holds it, so a kept value never looks hashed. */
const HASH_SEPARATOR = '~';
const HASH_HEX_DIGITS = 12;
// A leading `_` is left to callers' names for missing values (`_unknown-organization`), a leading `.` would hide
// a file: values starting with either are hashed, so no value can take such a name.
const KEPT = new RegExp(`^[A-Za-z0-9-][A-Za-z0-9._-]{0,${SAFE_SEGMENT_MAX_LENGTH - 1}}$`);

/**
 * A value as a path segment, object-key part or job-id part, one to one: a value of letters, digits, `.`, `_` and
 * `-` that starts with a letter, digit or `-` and has at most 128 characters is kept as it is; any other value is
 * hashed (see hashedSegment). Two different values give two different segments (up to a collision of 48 bits of
 * SHA-256), where plain replacing would give `acme corp` and `acme_corp` one folder.
 */
export function safeSegment(value: string): string {
  return KEPT.test(value) ? value : hashedSegment(value);
}

/**
 * A value's cleaned, readable form (other characters become `_`, a leading `.` becomes `_`, cut to fit) followed
 * by `~` and the first 12 hex digits of the SHA-256 of the whole value (UTF-8): at most 128 characters, always.
 * For callers that must not keep even a safe value as it is (it would take a name they give to something else).
 */
export function hashedSegment(value: string): string {
  const readable = value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_').slice(0, SAFE_SEGMENT_MAX_LENGTH - 1 - HASH_HEX_DIGITS);
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, HASH_HEX_DIGITS);
  return `${readable || '_'}${HASH_SEPARATOR}${digest}`;
}

/**
 * The one list of field names whose values are secrets, for every place that must not store or print them: the
 * ingress removes them from webhook bodies before anything reaches Kafka, the logger writes `[redacted]` instead.
 *
 * Names are compared normalised (see `normaliseKey`), so `streamKey`, `StreamKey`, `STREAMKEY`, `stream_key` and
 * `stream-key` are one name: Dyte writes camelCase, RealtimeKit snake_case, HTTP headers kebab-case.
 *
 * A name is a secret when its normalised form ENDS with one of SECRET_NAME_ENDINGS. Secrets arrive with prefixes
 * nobody can list in advance (`accessToken`, `participantToken`, `clientSecret`, `x-amz-signature`,
 * `rtmpStreamKey`), so an exact list would miss the next one; but the secret noun is always last. Names that only
 * say something about a secret end with another word and are kept: `tokenId`, `tokenType`, `secretName`,
 * `passwordPolicy`, `signatureAlgorithm`, `streamKeyId`. Plurals are listed only where they still hold secrets
 * (`secrets`, `cookies`, `credentials`), not `tokens` (token counts) or `signatures` (on/off settings).
 * `publicKey` is not a secret.
 */
export const SECRET_NAME_ENDINGS: readonly string[] = [
  // Livestream ingest keys (Dyte streamKey, RTK stream_key).
  'streamkey',
  // Bearer and session credentials: token, accessToken, refresh_token, authToken, x-amz-security-token...
  'token',
  // secret, clientSecret, client_secret, webhookSecret, secretKey, secretAccessKey, secrets
  'secret',
  'secrets',
  'secretkey',
  'secretaccesskey',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  // apiKey, api_key, x-api-key
  'apikey',
  'apikeys',
  'privatekey',
  'privatekeypem',
  // Authorization and Proxy-Authorization headers.
  'authorization',
  // dyte-signature, rtk-signature, x-amz-signature, signature.
  'signature',
  'cookie',
  'cookies',
  'credential',
  'credentials',
];

/** Whole names that are secrets but too generic as endings (`auth` would also catch flags like `twoFactorAuth`). */
export const SECRET_NAMES: readonly string[] = ['auth', 'jwt', 'bearer'];

const ENDINGS = new RegExp(`(?:${SECRET_NAME_ENDINGS.join('|')})$`);
const NAMES = new Set(SECRET_NAMES);
const NON_ASCII = /[^\x00-\x7f]/;
const SEPARATORS = /[^a-z0-9]/g;

/**
 * A field name lower-cased, with everything but letters and digits removed (`_`, `-`, `.`, spaces); non-ASCII
 * names are NFKC-folded first, so full-width letters count as their ASCII twins.
 */
export function normaliseKey(key: string): string {
  const folded = NON_ASCII.test(key) ? key.normalize('NFKC') : key;
  return folded.toLowerCase().replace(SEPARATORS, '');
}

// Bodies and log lines repeat the same few names ("id", "name"...): answers are remembered, for short names and up
// to a bound, so that neither a long name nor many distinct ones can grow the memory.
const answers = new Map<string, boolean>();
const MAX_REMEMBERED = 4096;
const MAX_REMEMBERED_LENGTH = 64;

/** True when a field of this name holds a secret, in any spelling (see SECRET_NAME_ENDINGS). */
export function isSecretKey(key: string): boolean {
  const known = answers.get(key);
  if (known !== undefined) return known;
  const normalised = normaliseKey(key);
  const secret = ENDINGS.test(normalised) || NAMES.has(normalised);
  if (key.length <= MAX_REMEMBERED_LENGTH && answers.size < MAX_REMEMBERED) answers.set(key, secret);
  return secret;
}

import { isLoopbackHost, redactUrl } from '../../../../shared/src/index.js';

/** The rule DYTE_WEBHOOK_PUBLIC_KEY_URL follows, in words (quoted by config errors). */
export const PUBLIC_KEY_URL_RULE = 'an https:// URL (http:// only for a loopback host: localhost, 127.0.0.0/8, [::1])';

/** The key URL as the key source uses it. */
export interface PublicKeyUrl {
  /** What is fetched: the URL without its userinfo (fetch refuses URLs with credentials, and quotes them). */
  fetchUrl: string;
  /** `Basic ...` from the URL's user and password, if it had any. */
  authorization: string | undefined;
  /** For logs and error causes: no userinfo, no query. */
  display: string;
  /** True for http:// on a loopback host (development only). */
  plainHttp: boolean;
}

/**
 * Checks a webhook public key URL against PUBLIC_KEY_URL_RULE (a key fetched in the clear over the network would
 * let whoever sits on the path choose the key that every signature is checked with) and splits off its userinfo.
 * Throws an Error whose message is the rule, never the URL (it may hold a password).
 */
export function parsePublicKeyUrl(raw: string): PublicKeyUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(PUBLIC_KEY_URL_RULE);
  }
  const plainHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !plainHttp) throw new Error(PUBLIC_KEY_URL_RULE);
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : undefined;
  url.username = '';
  url.password = '';
  return { fetchUrl: url.href, authorization, display: redactUrl(url), plainHttp };
}

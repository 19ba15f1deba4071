/**
 * A URL fit for a log line or an error message: scheme, host, port and path only. The userinfo (a password) and
 * the query (often a token or a signature) are dropped; text that is not a URL is replaced, never echoed.
 */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<not a URL>';
  }
}

// scheme://userinfo@ — the userinfo stops at the first "/", "?", "#", whitespace or quote.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** `text` with the userinfo of every URL in it replaced by `[redacted]`, for free text such as error messages. */
export function redactUrlUserinfo(text: string): string {
  return text.includes('://') ? text.replace(USERINFO, '$1[redacted]@') : text;
}

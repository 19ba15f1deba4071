import { InvalidInputError } from '../../../../shared/src/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting of objects and arrays accepted; Dyte's events nest 3 levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of `{`/`[` in JSON text, scanned without recursion: JSON.parse copes with deep nesting,
 * but every recursive walk after it (and JSON.stringify) would overflow the stack.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/** Whether `raw` holds more than `limit` opening brackets (`{` or `[`, in strings too): one native search per bracket. */
function moreBracketsThan(raw: Buffer, limit: number): boolean {
  let count = 0;
  for (const bracket of [0x7b /* { */, 0x5b /* [ */]) {
    for (let at = raw.indexOf(bracket); at !== -1; at = raw.indexOf(bracket, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}

/** A parsed webhook body: a JSON object with a non-empty `event` string. */
export interface ParsedWebhook {
  event: string;
  body: Record<string, unknown>;
}

/** Parses raw body bytes, or throws a 400 naming what is wrong with them. */
export function parseWebhookBody(raw: Buffer): ParsedWebhook {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new InvalidInputError('INVALID_UTF8', 'request body is not valid UTF-8');
  }
  // Nesting deeper than the limit needs more brackets than the limit: most bodies are cleared without a scan.
  if (moreBracketsThan(raw, MAX_JSON_DEPTH) && nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new InvalidInputError('JSON_TOO_DEEP', `request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // V8 quotes a piece of the body after the reason (`Unexpected token 's', "{"streamKey": sk_..." is not valid
    // JSON`): the reason and position are kept, the quoted body (it may hold a secret) is not.
    const detail = error instanceof SyntaxError ? `: ${error.message.replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')}` : '';
    throw new InvalidInputError('INVALID_JSON', `request body is not valid JSON${detail}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('BODY_NOT_OBJECT', `request body must be a JSON object (got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body})`);
  }
  const event = (body as Record<string, unknown>).event;
  if (typeof event !== 'string' || event.trim() === '') {
    throw new InvalidInputError('EVENT_MISSING', 'field "event" is required: a non-empty string like "meeting.started"');
  }
  if (event.length > 200) {
    throw new InvalidInputError('EVENT_INVALID', 'field "event" must be at most 200 characters');
  }
  return { event, body: body as Record<string, unknown> };
}

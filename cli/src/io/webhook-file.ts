import { readFileSync } from 'node:fs';
import { usageError } from '../cli-error.js';

/** One webhook read from a file: its raw bytes (exactly what is signed and sent), its headers, where it came from. */
export interface WebhookEntry {
  /** `file`, `file:line` or `file[index]`, for messages. */
  origin: string;
  raw: Buffer;
  /** Delivery headers recorded with it (`dyte-uuid`, ...), when the file keeps them. */
  headers: Record<string, string>;
}

/** An entry of the file that is not a webhook, with the reason. */
export interface BadEntry {
  origin: string;
  problem: string;
}

/**
 * Reads webhooks from a file in any of three shapes: one JSON object (its bytes kept as they are), a JSON array of
 * them, or JSON lines. An element may also be an envelope `{"headers": {...}, "body": {...}}` as a capture tool
 * records it. A line that is not JSON is reported, and the others are still read.
 */
export function readWebhookFile(path: string): { entries: WebhookEntry[]; bad: BadEntry[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const text = bytes.toString('utf8');
  const whole = tryParse(text);
  if (whole.ok && Array.isArray(whole.value)) {
    return collect(whole.value.map((value, index) => ({ origin: `${path}[${index}]`, value, raw: undefined })));
  }
  if (whole.ok) return collect([{ origin: path, value: whole.value, raw: bytes }]);
  const lines = text.split('\n').map((line, index) => ({ line: line.replace(/\r$/, ''), number: index + 1 }));
  const entries: { origin: string; value: unknown; raw: Buffer | undefined }[] = [];
  const bad: BadEntry[] = [];
  for (const { line, number } of lines) {
    if (line.trim() === '') continue;
    const parsed = tryParse(line);
    if (parsed.ok) entries.push({ origin: `${path}:${number}`, value: parsed.value, raw: Buffer.from(line) });
    else bad.push({ origin: `${path}:${number}`, problem: `not JSON (${parsed.error})` });
  }
  const result = collect(entries);
  return { entries: result.entries, bad: [...bad, ...result.bad] };
}

function collect(items: { origin: string; value: unknown; raw: Buffer | undefined }[]): { entries: WebhookEntry[]; bad: BadEntry[] } {
  const entries: WebhookEntry[] = [];
  const bad: BadEntry[] = [];
  for (const { origin, value, raw } of items) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      bad.push({ origin, problem: 'not a JSON object' });
    } else if (isEnvelope(value)) {
      const headers = Object.fromEntries(
        Object.entries(value.headers ?? {}).filter((pair): pair is [string, string] => typeof pair[1] === 'string').map(([k, v]) => [k.toLowerCase(), v]),
      );
      entries.push({ origin, raw: Buffer.from(typeof value.body === 'string' ? value.body : JSON.stringify(value.body)), headers });
    } else {
      entries.push({ origin, raw: raw ?? Buffer.from(JSON.stringify(value)), headers: {} });
    }
  }
  return { entries, bad };
}

function isEnvelope(value: object): value is { body: unknown; headers?: Record<string, unknown> } {
  return !('event' in value) && 'body' in value && (!('headers' in value) || typeof (value as { headers: unknown }).headers === 'object');
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

import { normaliseKey } from '../secrets/index.js';
import { parseTimestampMicros } from '../time/index.js';

type Obj = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of one object of a provider answer whatever their casing: RealtimeKit writes `chat_download_url`
 * but `summaryDownloadUrl`, SDKs and Dyte write either. A name is looked up normalised (lower-case, no `_`/`-`),
 * so `chat_download_url`, `chatDownloadUrl` and `ChatDownloadURL` are one field. A field with no usable value
 * (absent, `null`, `""`) reads as `null`; one of the wrong type throws, naming the field, so an answer that changed
 * shape is reported instead of read as "no link".
 */
export class ProviderFields {
  private readonly values = new Map<string, unknown>();

  constructor(
    source: unknown,
    /** Where the object is, for messages: "chat answer", "sessions[3]". */
    readonly where: string,
  ) {
    if (!isObject(source)) throw new TypeError(`${where} must be an object`);
    for (const [key, value] of Object.entries(source)) {
      const name = normaliseKey(key);
      // When both spellings are present, the first one with a value wins.
      if (!this.values.has(name) || isMissing(this.values.get(name))) this.values.set(name, value);
    }
  }

  /** The raw value of the first name present with a value. */
  raw(...names: string[]): unknown {
    for (const name of names) {
      const value = this.values.get(normaliseKey(name));
      if (!isMissing(value)) return value;
    }
    return null;
  }

  /** A string field (numbers are accepted as their decimal text: ids sometimes arrive as numbers). */
  text(...names: string[]): string | null {
    const value = this.raw(...names);
    if (value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new TypeError(`${this.where}: ${names[0]} must be a string (got ${typeof value})`);
  }

  /** A non-negative integer, given as a number or as decimal text (RealtimeKit sends file sizes as strings). */
  count(...names: string[]): number | null {
    const value = this.raw(...names);
    if (value === null) return null;
    const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return number;
    throw new TypeError(`${this.where}: ${names[0]} must be a non-negative integer`);
  }

  /** A timestamp in either of Dyte's formats (`2022-12-13T06:57:09.736Z`, `2022-12-13 07:08:39.051621Z`), as a Date. */
  timestamp(...names: string[]): Date | null {
    const value = this.text(...names);
    if (value === null) return null;
    try {
      return new Date(Math.floor(parseTimestampMicros(value.trim()) / 1000));
    } catch (error) {
      throw new TypeError(`${this.where}: ${names[0]} ${(error as Error).message}`);
    }
  }

  /** An http(s) URL. */
  url(...names: string[]): string | null {
    const value = this.text(...names);
    if (value === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new TypeError(`${this.where}: ${names[0]} must be a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`${this.where}: ${names[0]} must be an http(s) URL`);
    return value;
  }

  /** A nested object, or `null`. */
  object(...names: string[]): Obj | null {
    const value = this.raw(...names);
    if (value === null) return null;
    if (isObject(value)) return value;
    throw new TypeError(`${this.where}: ${names[0]} must be an object`);
  }

  /** A nested array, or `null`. */
  array(...names: string[]): unknown[] | null {
    const value = this.raw(...names);
    if (value === null) return null;
    if (Array.isArray(value)) return value;
    throw new TypeError(`${this.where}: ${names[0]} must be an array`);
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

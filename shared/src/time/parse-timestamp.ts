// Dyte sends two forms: ISO 8601 with milliseconds (2022-12-13T06:57:09.736Z) and a space separator with
// microseconds (2022-12-13 07:08:39.051621Z). Offsets other than Z are accepted too.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Microseconds since the epoch (UTC) of a Dyte timestamp, exact to the microsecond (digits past the sixth are
 * dropped). Throws with the rule when the text is not such a timestamp or names an impossible date.
 */
export function parseTimestampMicros(text: string): number {
  const match = TIMESTAMP.exec(text);
  if (!match) throw new Error('must be a timestamp like 2022-12-13T06:57:09.736Z or 2022-12-13 07:08:39.051621Z');
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
    hour > 23 || minute > 59 || second > 59
  ) {
    throw new Error('must be a valid calendar date and time');
  }
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return (millis - offsetMinutes * 60_000) * 1000 + micros;
}

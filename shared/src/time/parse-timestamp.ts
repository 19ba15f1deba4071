// Dyte sends two forms: ISO 8601 with milliseconds (2022-12-13T06:57:09.736Z) and a space separator with
// microseconds (2022-12-13 07:08:39.051621Z). Offsets other than Z are accepted too. The grammar, read character by
// character below (every webhook has several timestamps: no regular expression, no Date object per value):
//   YYYY-MM-DD(T| )hh:mm:ss(.f{1,9})?(Z|(+|-)hh(:)?mm)
const FORMAT = 'must be a timestamp like 2022-12-13T06:57:09.736Z or 2022-12-13 07:08:39.051621Z';
const CALENDAR = 'must be a valid calendar date and time';

const DASH = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const Z = 90;

/** The number written by `count` ASCII digits at `start`, or -1 if any of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Microseconds since the epoch (UTC) of a Dyte timestamp, exact to the microsecond (digits past the sixth are
 * dropped). Throws with the rule when the text is not such a timestamp or names an impossible date (years before
 * 0100 included: JavaScript's Date reads them as 19xx).
 */
export function parseTimestampMicros(text: string): number {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const separator = text.charCodeAt(10);
  if (
    year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
    text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || (separator !== 84 && separator !== 32) ||
    text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON
  ) {
    throw new Error(FORMAT);
  }
  let at = 19;
  let micros = 0;
  if (text.charCodeAt(at) === DOT) {
    const first = ++at;
    // digitsAt answers -1 past the end of the text too.
    for (let digit = digitsAt(text, at, 1); digit >= 0; digit = digitsAt(text, ++at, 1)) {
      if (at - first < 6) micros = micros * 10 + digit;
    }
    const fractionDigits = at - first;
    if (fractionDigits === 0 || fractionDigits > 9) throw new Error(FORMAT);
    for (let n = fractionDigits; n < 6; n++) micros *= 10;
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(at);
  if (zone === PLUS || zone === DASH) {
    const colon = text.charCodeAt(at + 3) === COLON ? 1 : 0;
    const hours = digitsAt(text, at + 1, 2);
    const minutes = digitsAt(text, at + 3 + colon, 2);
    if (hours < 0 || minutes < 0 || at + 5 + colon !== text.length) throw new Error(FORMAT);
    offsetMinutes = (zone === DASH ? -1 : 1) * (hours * 60 + minutes);
  } else if (zone !== Z || at + 1 !== text.length) {
    throw new Error(FORMAT);
  }
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new Error(CALENDAR);
  }
  return (Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000) * 1000 + micros;
}

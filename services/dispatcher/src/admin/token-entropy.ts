/** The least estimated entropy, in bits, of an admin token (what `openssl rand -hex 16` gives has about 120). */
export const MIN_TOKEN_BITS = 64;

/** How many symbols the character classes a token uses hold: digits, lower, upper, other ASCII, anything else. */
function classAlphabet(chars: readonly string[]): number {
  const classes: [RegExp, number][] = [
    [/[0-9]/, 10],
    [/[a-z]/, 26],
    [/[A-Z]/, 26],
    [/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/, 33],
    [/[^\x20-\x7e]/u, 100],
  ];
  return classes.reduce((size, [pattern, symbols]) => size + (chars.some((c) => pattern.test(c)) ? symbols : 0), 0);
}

/**
 * A conservative estimate of a token's entropy in bits, without a dictionary: bits per character times the
 * characters that do not just continue a run. Bits per character are the Shannon entropy of the token's own
 * characters, with the Miller-Madow correction (a short sample under-counts), at most what its character classes
 * allow. A character continues a run when it repeats the step between the two before it (`aaaa`, `abcd`, `9753`).
 * So one repeated character, two alternating ones, sequences and words repeated scores low, while random tokens
 * lose almost nothing. It does not know words or keyboard walks: a generated token is what it is meant for.
 */
export function estimateTokenBits(token: string): number {
  const chars = [...token];
  const n = chars.length;
  if (n === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let shannon = 0;
  for (const count of counts.values()) shannon -= (count / n) * Math.log2(count / n);
  const corrected = shannon + (counts.size - 1) / (2 * n * Math.LN2);
  const perChar = Math.min(Math.log2(classAlphabet(chars)), corrected);
  const code = (i: number) => chars[i]?.codePointAt(0) ?? 0;
  let novel = 0;
  for (let i = 0; i < n; i++) {
    if (i < 2 || code(i) - code(i - 1) !== code(i - 1) - code(i - 2)) novel++;
  }
  return perChar * novel;
}

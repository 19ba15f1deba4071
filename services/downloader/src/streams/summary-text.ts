/**
 * The start of a summary file as text: at most `maxBytes` of UTF-8, cut before a character that would not fit
 * whole. Reads no further than it needs: a summary of any size costs at most `maxBytes` of memory.
 */
export async function summaryText(chunks: AsyncIterable<Buffer>, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const kept: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of chunks) {
    const room = maxBytes - bytes;
    if (chunk.length > room) {
      kept.push(chunk.subarray(0, room));
      bytes += room;
      truncated = true;
      break;
    }
    kept.push(chunk);
    bytes += chunk.length;
  }
  const whole = Buffer.concat(kept, bytes);
  const end = truncated ? characterBoundary(whole) : whole.length;
  const text = whole.subarray(0, end).toString('utf8');
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text, truncated };
}

/** The length of `bytes` without a UTF-8 character cut at its end. */
function characterBoundary(bytes: Buffer): number {
  let start = bytes.length;
  // Back over continuation bytes (10xxxxxx) to the lead byte of the last character, at most 3.
  while (start > 0 && bytes.length - start < 4 && ((bytes[start - 1] as number) & 0xc0) === 0x80) start--;
  if (start === 0) return bytes.length;
  const lead = bytes[start - 1] as number;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - (start - 1) >= needed ? bytes.length : start - 1;
}

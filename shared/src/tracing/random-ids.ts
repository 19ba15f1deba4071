import { randomFillSync } from 'node:crypto';

// Ids are cut from one block of random bytes, refilled when used up: one system call per 512 spans, not two per span.
const BLOCK_BYTES = 12 * 1024;
const block = Buffer.alloc(BLOCK_BYTES);
let used = BLOCK_BYTES;

/** `bytes` random bytes as lowercase hex, never all zeros (W3C Trace Context forbids all-zero ids). */
function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > BLOCK_BYTES) {
      randomFillSync(block);
      used = 0;
    }
    const start = used;
    used += bytes;
    for (let i = start; i < used; i++) {
      if (block[i] !== 0) return block.toString('hex', start, used);
    }
  }
}

/** A new W3C trace id: 32 lowercase hex digits, not all zeros. */
export const randomTraceId = (): string => randomHex(16);

/** A new W3C span id: 16 lowercase hex digits, not all zeros. */
export const randomSpanId = (): string => randomHex(8);

import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file of `bytes` random bytes (nothing compresses) under `dir`, made once and kept for later runs, with its
 * SHA-256 beside it.
 */
export function randomFile(dir: string, bytes: number): { path: string; sha256: string } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `artifact-${bytes}.bin`);
  const shaPath = `${path}.sha256`;
  if (!existsSync(path) || !existsSync(shaPath)) {
    const partial = `${path}.partial`;
    const fd = openSync(partial, 'w');
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (let written = 0; written < bytes; ) {
      const n = Math.min(chunk.length, bytes - written);
      randomFillSync(chunk, 0, n);
      writeSync(fd, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
      written += n;
    }
    closeSync(fd);
    renameSync(partial, path);
    writeFileSync(shaPath, hash.digest('hex'));
  }
  return { path, sha256: readFileSync(shaPath, 'utf8').trim() };
}

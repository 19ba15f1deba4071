import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArchiveStore } from './archive-store.js';

/**
 * The archive as a local folder. A file appears under its final name only by `rename` of a complete, fsynced
 * file from `.partial/` on the same file system, so a crash never leaves a partial file that looks complete.
 */
export function localArchiveStore(root: string): ArchiveStore {
  const base = resolve(root);
  return {
    partialDir: join(base, '.partial'),
    async put(key, completeFile) {
      const target = resolve(base, key);
      // archiveKey only builds safe segments; this is the last line of defence against a path outside the archive.
      if (!target.startsWith(base + sep)) throw new Error(`archive key ${key} leaves the archive folder`);
      await mkdir(dirname(target), { recursive: true });
      await rename(completeFile, target);
      const directory = await open(dirname(target), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
      return pathToFileURL(target).href;
    },
  };
}

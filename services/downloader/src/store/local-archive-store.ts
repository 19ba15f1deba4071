import { createReadStream } from 'node:fs';
import { link, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArchiveConflictError } from './archive-conflict-error.js';
import type { ArchiveStore, StoredFile } from './archive-store.js';
import { sha256Of } from './sha256-of.js';

/**
 * The archive as a local folder. A file appears under its final name only as a hard link to a complete, fsynced
 * file from `.partial/` on the same file system, so a crash never leaves a partial file that looks complete; and
 * unlike `rename`, `link` never replaces a file already there.
 */
export function localArchiveStore(root: string): ArchiveStore {
  const base = resolve(root);
  return {
    partialDir: join(base, '.partial'),
    read(location) {
      const path = resolve(fileURLToPath(location));
      if (!path.startsWith(base + sep)) throw new Error(`${location} is not in the archive folder`);
      return createReadStream(path, { highWaterMark: 64 * 1024 });
    },
    async put(key, completeFile, file) {
      const target = resolve(base, key);
      // archiveKey only builds safe segments; this is the last line of defence against a path outside the archive.
      if (!target.startsWith(base + sep)) throw new Error(`archive key ${key} leaves the archive folder`);
      const location = pathToFileURL(target).href;
      await mkdir(dirname(target), { recursive: true });
      try {
        await link(completeFile, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        await expectSameFile(target, completeFile, file, location);
      }
      const directory = await open(dirname(target), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
      await rm(completeFile, { force: true });
      return location;
    },
  };
}

/** Returns when `target` holds the same content as the file being stored; throws ArchiveConflictError otherwise. */
async function expectSameFile(target: string, completeFile: string, file: StoredFile, location: string): Promise<void> {
  const [existing, incoming] = await Promise.all([stat(target), stat(completeFile)]);
  // A crash after the link and before the partial file was removed: the retry finds its own file there.
  if (existing.isFile() && existing.ino === incoming.ino && existing.dev === incoming.dev) return;
  const sha256 = existing.isFile() && existing.size === file.bytes ? await sha256Of(createReadStream(target)) : null;
  if (sha256 === file.sha256) return;
  throw new ArchiveConflictError(location, { bytes: existing.size, sha256 }, { bytes: file.bytes, sha256: file.sha256 });
}

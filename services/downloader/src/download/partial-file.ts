import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeSegment } from '../../../../shared/src/index.js';
import type { FetchedFile } from './fetch-to-file.js';

/** What the meta file holds: the validator to resume the data with, or the result once the data is complete. */
interface PartialMeta {
  validator?: string;
  complete?: FetchedFile;
}

/** What an earlier attempt left: its meta, and how many bytes the data file holds. */
export type ResumeState = PartialMeta & { bytes: number };

/**
 * One job's download in the partial folder: the bytes so far in `<jobId>.part` (the job id through safeSegment, so
 * never shared by two jobs) and, beside it in `<jobId>.part.meta.json`, what is needed to resume it or to know it
 * is complete. Nothing else names these files.
 */
export interface PartialFile {
  /** The data file: fetched into, then handed to the archive store once complete. */
  readonly path: string;
  /**
   * What an earlier attempt left; undefined when there is nothing usable. A meta file that does not parse (a crash
   * while writing it) discards the data too: start over, never fail.
   */
  resumeState(): Promise<ResumeState | undefined>;
  /** Notes the validator (ETag or Last-Modified) a later attempt resumes with; without one, it will start over. */
  saveValidator(validator: string | undefined): Promise<void>;
  /** Fsyncs the data, then notes it complete, so a later attempt (its storing failed) does not fetch it again. */
  markComplete(file: FetchedFile): Promise<void>;
  /** Removes the data and its meta file: the download is archived, failed for good, or must start over. */
  discard(): Promise<void>;
}

/** The partial download of job `jobId` in `partialDir`. */
export function partialFile(partialDir: string, jobId: string): PartialFile {
  const path = join(partialDir, `${safeSegment(jobId)}.part`);
  const metaPath = `${path}.meta.json`;
  // Written under a temporary name, then renamed: a crash leaves the old meta file or the new one, never half of one.
  const writeMeta = async (meta: PartialMeta) => {
    await writeFile(`${metaPath}.tmp`, JSON.stringify(meta));
    await rename(`${metaPath}.tmp`, metaPath);
  };
  const discard = async () => {
    await rm(path, { force: true });
    await rm(metaPath, { force: true });
  };
  return {
    path,
    async resumeState() {
      let bytes: number;
      let meta: PartialMeta;
      try {
        bytes = (await stat(path)).size;
        meta = JSON.parse(await readFile(metaPath, 'utf8')) as PartialMeta;
      } catch {
        await discard();
        return undefined;
      }
      if (meta.complete && meta.complete.bytes !== bytes) return undefined;
      if (!meta.complete && !meta.validator) return undefined;
      return { ...meta, bytes };
    },
    async saveValidator(validator) {
      if (validator) await writeMeta({ validator });
      else await rm(metaPath, { force: true });
    },
    async markComplete(file) {
      const handle = await open(path, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Nothing is left to fetch: a later attempt resumes from the end.
      await writeMeta({ complete: { ...file, resumedFrom: file.bytes } });
    },
    discard,
  };
}

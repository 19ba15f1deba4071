import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from './repo-root.js';

/**
 * The folders of sample webhooks, relative to the checkout (or /app in the image, which copies them): the seed's
 * payloads, and the ones DOMAIN.md adds (RTK shapes, UPLOADED ...).
 */
export const SAMPLE_FOLDERS = ['samples/seed', 'samples/domain'];

function sampleFolders(): string[] {
  const root = repoRoot();
  return root ? SAMPLE_FOLDERS.map((folder) => join(root, folder)) : [];
}

/** A sample webhook: its name (file name without .json), its event, and its file. */
export interface Sample {
  name: string;
  event: string;
  path: string;
}

/** Every sample webhook of the checkout or the image (none when run from elsewhere). */
export function listSamples(): Sample[] {
  return sampleFolders().flatMap((folder) =>
    existsSync(folder)
      ? readdirSync(folder)
          .filter((file) => file.endsWith('.json'))
          .sort()
          .map((file) => {
            const path = join(folder, file);
            const event = (JSON.parse(readFileSync(path, 'utf8')) as { event?: unknown }).event;
            return { name: basename(file, '.json'), event: typeof event === 'string' ? event : '?', path };
          })
      : [],
  );
}

/** The sample named `name` (file name, or event name when a single sample has it), or undefined. */
export function findSample(name: string): Sample | undefined {
  const samples = listSamples();
  const byName = samples.find((sample) => sample.name === name);
  if (byName) return byName;
  const byEvent = samples.filter((sample) => sample.event === name);
  return byEvent[0];
}

// The realistic chat, transcript and summary files of samples/artifacts/, for the development stand-ins that
// `make run` starts (the sample artifact server, the stand-in provider), whether they run from scripts/ (tsx) or
// from dist/scripts/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const samplesDir = [join(__dirname, '..', 'samples'), join(__dirname, '..', '..', 'samples')].find((dir) => existsSync(join(dir, 'artifacts')));

/** The bytes of samples/artifacts/<name>. */
export function sampleArtifact(name: string): Buffer {
  if (!samplesDir) throw new Error(`samples/artifacts not found above ${__dirname}`);
  return readFileSync(join(samplesDir, 'artifacts', name));
}

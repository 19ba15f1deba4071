import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A sample webhook body and where it comes from. */
export interface Fixture {
  name: string;
  body: Record<string, unknown>;
}

// The samples `dyte-bridge send` and the benchmarks use at run time, so they live outside test/.
const fixturesDir = join(__dirname, '..', '..', 'samples');

/** The seed's sample payloads (samples/seed) and those built from DOMAIN.md (samples/domain). */
export function loadFixtures(folder: 'seed' | 'domain'): Fixture[] {
  const dir = join(fixturesDir, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: `${folder}/${file}`, body: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown> }));
}

/** One fixture by file name, e.g. fixture('seed', 'meeting-started'). */
export function fixture(folder: 'seed' | 'domain', name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesDir, folder, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

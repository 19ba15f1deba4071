import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The checkout this CLI runs from (from sources or from dist/), or /app in the image; undefined anywhere else. */
export function repoRoot(): string | undefined {
  for (const root of [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..', '..', '..')]) {
    if (existsSync(join(root, 'package.json')) && existsSync(join(root, 'schemas'))) return root;
  }
  return undefined;
}

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSchema } from '../../shared/src/index.js';

/** The repository root. */
export const repoRoot = join(__dirname, '..', '..');

/** Every service under services/ (a folder with src/main.ts) and the config schema its src/config.ts exports. */
export function serviceConfigs(): { name: string; configSchema: ConfigSchema }[] {
  return readdirSync(join(repoRoot, 'services'))
    .filter((name) => existsSync(join(repoRoot, 'services', name, 'src', 'main.ts')))
    .map((name) => ({
      name,
      // require, not import(): the tests run as CommonJS through tsx's require hook.
      configSchema: (require(join(repoRoot, 'services', name, 'src', 'config.ts')) as { configSchema: ConfigSchema }).configSchema,
    }));
}

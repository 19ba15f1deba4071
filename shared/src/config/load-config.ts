import { ConfigError } from '../errors/index.js';
import type { Setting } from './setting.js';

/** A map from config key to its setting. */
export type ConfigSchema = Record<string, Setting<unknown>>;

/** The typed values a schema describes. */
export type ConfigOf<S extends ConfigSchema> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/**
 * Reads every setting of the schema from `env` once, at boot. Collects every problem before failing, so one
 * start-up shows all that is wrong, each naming the variable and the rule.
 */
export function loadConfig<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(schema)) {
    const raw = env[setting.env];
    if (raw === undefined || raw.trim() === '') {
      if (setting.default === undefined && !setting.optional) {
        problems.push(`${setting.env} is required: ${setting.format} (${setting.doc})`);
      }
      values[key] = setting.default;
      continue;
    }
    try {
      values[key] = setting.parse(raw.trim());
    } catch (error) {
      const rule = error instanceof Error ? error.message : String(error);
      const shown = setting.secret ? '<secret>' : JSON.stringify(raw);
      problems.push(`${setting.env} must be ${rule} (got ${shown})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as ConfigOf<S>;
}

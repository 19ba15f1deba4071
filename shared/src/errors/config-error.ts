import { AppError } from './app-error.js';

/** The environment does not satisfy the config schema; `problems` names every variable and rule broken. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`, { code: 'CONFIG_INVALID', retriable: false });
    this.problems = problems;
  }
}

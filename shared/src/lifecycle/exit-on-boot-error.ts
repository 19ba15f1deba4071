import { ConfigError } from '../errors/index.js';

/**
 * Ends a process whose boot failed before a logger existed: the reason on stderr, without a stack for a
 * configuration error (the message already names every variable and rule), and a distinct exit code
 * (78, EX_CONFIG) so an orchestrator can tell a bad config from a crash.
 */
export function exitOnBootError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`boot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';
import { usageError } from './cli-error.js';
import { parseTimestampMicros } from '../../shared/src/index.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments: flag values by name, and the positionals. */
export interface Args {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** One subcommand of `dyte-bridge`: its usage text, its flags, and what it does. */
export interface Command {
  /** As typed: `send`, `archive status`. */
  name: string;
  summary: string;
  /** The full `--help` text. */
  help: string;
  options: Options;
  run(args: Args, context: CliContext): Promise<void>;
}

/** Parses argv for a command; a wrong flag is a usage error naming the flag and pointing at --help. */
export function parseCommandArgs(command: Command, argv: string[]): Args {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Args['values'], positionals };
  } catch (error) {
    throw usageError(`${(error as Error).message.split('\n')[0]} (see: dyte-bridge ${command.name} --help)`);
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(args: Args, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A non-negative integer flag, or undefined; anything else is a usage error naming the flag. */
export function integerFlag(args: Args, name: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`--${name} must be a whole number >= 0 (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** A repeatable string flag's values. */
export function listFlag(args: Args, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** What a time flag accepts, for usage errors. */
export const TIME_RULE = "an ISO 8601 time with its zone (2026-01-02T03:04:05Z, 2026-01-02T04:04:05+01:00, or Dyte's 2026-01-02 03:04:05.123456Z)";

/**
 * Microseconds since the epoch of a time given as ISO 8601 or in Dyte's form, read by the ingress's strict parser:
 * an impossible date (2026-02-30) or a time without a zone (read as local time elsewhere) is undefined, never moved.
 */
export function parseTimeMicros(value: string): number | undefined {
  try {
    return parseTimestampMicros(value);
  } catch {
    return undefined;
  }
}

/** Like `parseTimeMicros`, as a Date (milliseconds). */
export function parseTime(value: string): Date | undefined {
  const micros = parseTimeMicros(value);
  return micros === undefined ? undefined : new Date(Math.floor(micros / 1000));
}

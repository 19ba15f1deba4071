import { AppError, ConfigError, InvalidInputError, ProviderError, UnavailableError } from '../../shared/src/index.js';

/** Exit codes of `dyte-bridge`, the same for every subcommand (sysexits.h where one fits). */
export const EXIT = {
  OK: 0,
  /** The command ran, and some of what it was asked to do failed (a webhook refused, an artifact failed ...). */
  FAILED: 1,
  /** Wrong arguments or unreadable input: the same command will never work. */
  USAGE: 2,
  /** Nothing is known about what was asked for (a meeting, a job). */
  NOT_FOUND: 3,
  /** Kafka, the registry, Redis, the ingress or the provider's API cannot be reached: try again later. */
  UNAVAILABLE: 69,
  /** An environment variable is invalid (or the provider refused the credentials they give). */
  CONFIG: 78,
} as const;

/** Nothing is known about what was asked for. */
export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(message, { code, retriable: false, status: 404 });
  }
}

/** The command ran to its end, but part of the work failed (already reported line by line). */
export class PartialFailureError extends AppError {
  constructor(message: string) {
    super(message, { code: 'PARTIAL_FAILURE', retriable: false });
  }
}

/** A usage mistake: wrong flags, a missing argument, a file that cannot be read. */
export function usageError(message: string): InvalidInputError {
  return new InvalidInputError('USAGE', message);
}

/** The exit code for an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError) return EXIT.CONFIG;
  if (error instanceof InvalidInputError) return EXIT.USAGE;
  if (error instanceof NotFoundError) return EXIT.NOT_FOUND;
  if (error instanceof PartialFailureError) return EXIT.FAILED;
  if (error instanceof UnavailableError) return EXIT.UNAVAILABLE;
  // Refused credentials are a setting to fix; a provider down or throttling is a server to wait for.
  if (error instanceof ProviderError) return error.code === 'PROVIDER_UNAUTHORIZED' ? EXIT.CONFIG : error.retriable ? EXIT.UNAVAILABLE : EXIT.FAILED;
  // kafkajs and ioredis give up with errors of their own when a server cannot be reached.
  const name = (error as { name?: string }).name ?? '';
  const code = (error as { code?: string }).code ?? '';
  if (/KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded|KafkaJSNonRetriableError|MaxRetriesPerRequestError/.test(name)) return EXIT.UNAVAILABLE;
  if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(code)) return EXIT.UNAVAILABLE;
  return EXIT.FAILED;
}

import { AppError } from './app-error.js';

/** A dependency (Kafka, the registry, a key endpoint) is down or too slow: the same request may succeed later (503). */
export class UnavailableError extends AppError {
  /** Seconds after which a retry makes sense, sent as Retry-After. */
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { code, retriable: true, status: 503, cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

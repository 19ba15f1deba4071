/** Options every error of this project carries besides its message. */
export interface AppErrorOptions {
  /** Stable, machine-readable code, e.g. `SIGNATURE_INVALID`. */
  code: string;
  /** True when trying the same thing again later may succeed (a broker down), false when it never will. */
  retriable: boolean;
  /** HTTP status when the error reaches an HTTP client. */
  status?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error model of the project: a stable `code`, a message that names the field and the rule,
 * `retriable`, and `cause`. Subclasses only add context.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly status: number;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retriable = options.retriable;
    this.status = options.status ?? (options.retriable ? 503 : 500);
  }

  /** The JSON body an HTTP client sees: code and message, never the cause or a stack. */
  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for errors that say trying again later may succeed. Unknown errors count as retriable. */
export function isRetriable(error: unknown): boolean {
  return error instanceof AppError ? error.retriable : true;
}

import { AppError } from './app-error.js';

/** The caller sent something that will never be accepted as it is (4xx): retrying the same input is useless. */
export class InvalidInputError extends AppError {
  constructor(code: string, message: string, status = 400, cause?: unknown) {
    super(message, { code, retriable: false, status, cause });
  }
}

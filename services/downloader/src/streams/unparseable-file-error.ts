import { InvalidInputError } from '../../../../shared/src/index.js';

/** An archived file whose content cannot be read as its kind (unknown format, broken off): final, never retried. */
export class UnparseableFileError extends InvalidInputError {
  constructor(message: string) {
    super('UNPARSEABLE', message);
  }
}

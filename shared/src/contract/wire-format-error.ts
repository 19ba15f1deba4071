import { InvalidInputError } from '../errors/index.js';

/** Bytes that are not a value in the Confluent wire format, or a schema id that cannot be framed: never retriable. */
export class WireFormatError extends InvalidInputError {
  constructor(code: 'WIRE_FORMAT_TOO_SHORT' | 'WIRE_FORMAT_MAGIC_BYTE' | 'WIRE_FORMAT_SCHEMA_ID', message: string) {
    super(code, message);
  }
}

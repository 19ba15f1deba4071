import { WireFormatError } from './wire-format-error.js';

/** The first byte of every value in the Confluent wire format. */
export const MAGIC_BYTE = 0;

/** The bytes before the payload: the magic byte, then the schema id as a 4-byte big-endian signed integer. */
export const FRAME_HEADER_BYTES = 5;

// Registries hand out positive ids; the frame holds a signed 32-bit integer, so nothing above 2^31 - 1 fits.
const MAX_SCHEMA_ID = 0x7fffffff;

/** A value in the Confluent wire format, taken apart. */
export interface Frame {
  /** The registry id of the schema the payload was written with. */
  schemaId: number;
  /** The serialized record (Avro binary for the fleet's records), a view on the framed bytes, not a copy. */
  payload: Buffer;
}

/** True when `value` starts like the Confluent wire format: magic byte 0, then a 4-byte schema id. */
export function isWireFormat(value: Buffer): boolean {
  return value.length >= FRAME_HEADER_BYTES && value[0] === MAGIC_BYTE;
}

/**
 * What writes a payload into a buffer at a position, as avsc's `Type#encode`: the position after it, or a negative
 * number (minus the bytes missing) when the buffer is too short.
 */
export interface PayloadWriter {
  encode(value: unknown, buffer: Buffer, position: number): number;
}

// One buffer the payloads are written into, grown when one does not fit.
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Frames the payload `writer` makes of `value` in the Confluent wire format: magic byte 0, the 4-byte big-endian
 * schema id, the payload. The payload is written once into a scratch buffer behind the header and the frame copied
 * out at its exact size (from Node's shared pool when small): no zero-filled buffer per value, as avsc's `toBuffer`
 * makes, copied again into the frame.
 */
export function encodeFramedValue(schemaId: number, writer: PayloadWriter, value: unknown): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new WireFormatError('WIRE_FORMAT_SCHEMA_ID', `schemaId must be an integer from 0 to ${MAX_SCHEMA_ID}, got ${String(schemaId)}`);
  }
  let end = writer.encode(value, scratch, FRAME_HEADER_BYTES);
  if (end < 0) {
    scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
    end = writer.encode(value, scratch, FRAME_HEADER_BYTES);
  }
  scratch.writeUInt8(MAGIC_BYTE, 0);
  scratch.writeInt32BE(schemaId, 1);
  const framed = Buffer.allocUnsafe(end);
  scratch.copy(framed, 0, 0, end);
  return framed;
}

/** Takes a value in the Confluent wire format apart; throws a WireFormatError naming what is wrong with it. */
export function decodeFrame(value: Buffer): Frame {
  if (value.length < FRAME_HEADER_BYTES) {
    throw new WireFormatError(
      'WIRE_FORMAT_TOO_SHORT',
      `a Confluent wire-format value must have at least ${FRAME_HEADER_BYTES} bytes (magic byte and 4-byte schema id), got ${value.length}`,
    );
  }
  if (value[0] !== MAGIC_BYTE) {
    throw new WireFormatError('WIRE_FORMAT_MAGIC_BYTE', `a Confluent wire-format value must start with magic byte ${MAGIC_BYTE}, got ${String(value[0])}`);
  }
  const schemaId = value.readInt32BE(1);
  if (schemaId < 0) throw new WireFormatError('WIRE_FORMAT_SCHEMA_ID', `the schema id of a Confluent wire-format value must not be negative, got ${schemaId}`);
  return { schemaId, payload: value.subarray(FRAME_HEADER_BYTES) };
}

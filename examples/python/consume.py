#!/usr/bin/python3
"""Reads every topic of a dyte-kafka-bridge fleet and prints each record decoded, one JSON object a line.

Values are in the Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), the rest
Avro binary written with that schema. The writer schema is fetched from the registry by that id (once per id) through
its Confluent-compatible API, GET <registry>/schemas/ids/<id>, so records written with any version of a schema decode.

Needs Debian's python3-confluent-kafka and python3-avro (`make consumer-deps`); run with /usr/bin/python3:

    /usr/bin/python3 examples/python/consume.py --from-beginning
"""

import argparse
import datetime
import decimal
import io
import json
import re
import struct
import sys
import time
import urllib.request
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError, KafkaException

MAGIC_BYTE = 0
FRAME_HEADER = struct.Struct(">bi")  # magic byte, then the schema id as a signed 32-bit big-endian integer


class WireFormatError(Exception):
    """A value that is not in the Confluent wire format."""


class WriterSchemas:
    """The registry's schemas by id, fetched once each (an id never changes its schema)."""

    def __init__(self, registry_url):
        self.registry_url = registry_url.rstrip("/")
        self.readers = {}

    def reader(self, schema_id):
        if schema_id not in self.readers:
            url = f"{self.registry_url}/schemas/ids/{schema_id}"
            with urllib.request.urlopen(url, timeout=10) as answer:
                schema = avro.schema.parse(json.load(answer)["schema"])
            self.readers[schema_id] = (schema, avro.io.DatumReader(schema))
        return self.readers[schema_id]


def decode_value(value, schemas):
    """The schema id, the writer schema's full name and the decoded record of a framed value."""
    if value is None or len(value) < FRAME_HEADER.size or value[0] != MAGIC_BYTE:
        raise WireFormatError("not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary)")
    _, schema_id = FRAME_HEADER.unpack_from(value)
    schema, reader = schemas.reader(schema_id)
    record = reader.read(avro.io.BinaryDecoder(io.BytesIO(value[FRAME_HEADER.size:])))
    return schema_id, schema.fullname, record


def as_json(value):
    """Avro's logical types as JSON: timestamps (timestamp-micros) in ISO 8601, bytes as hex."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers (default %(default)s)")
    parser.add_argument("--registry", default="http://127.0.0.1:8081/apis/ccompat/v7", help="Confluent-compatible registry API (default %(default)s)")
    parser.add_argument("--topic-prefix", default="dyte.", help="the fleet's TOPIC_PREFIX: every topic starting with it is read (default %(default)s)")
    parser.add_argument("--group", default=None, help="consumer group (default: a new one each run)")
    parser.add_argument("--from-beginning", action="store_true", help="a new group starts at the oldest records (default: the newest)")
    parser.add_argument("--max-records", type=int, default=0, help="exit 0 after this many records (default: run until Ctrl-C)")
    parser.add_argument("--timeout", type=float, default=0, help="exit 1 when --max-records were not read within this many seconds")
    args = parser.parse_args()

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group or f"python-consumer-{uuid.uuid4()}",
        "auto.offset.reset": "earliest" if args.from_beginning else "latest",
        "enable.auto.commit": True,
        # Topics created after the start are picked up within this time.
        "topic.metadata.refresh.interval.ms": 5000,
    })
    # A subscription starting with ^ is a regular expression: every topic of the fleet, today's and later ones.
    consumer.subscribe([f"^{re.escape(args.topic_prefix)}.*"])
    schemas = WriterSchemas(args.registry)
    deadline = time.monotonic() + args.timeout if args.timeout else None
    printed = 0
    try:
        while not args.max_records or printed < args.max_records:
            if deadline and time.monotonic() > deadline:
                print(f"read {printed} of {args.max_records} records in {args.timeout:g} s", file=sys.stderr)
                return 1
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                # No topic of the prefix exists yet: not fatal, the subscription picks them up once created.
                if message.error().code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    continue
                raise KafkaException(message.error())
            line = {
                "topic": message.topic(),
                "partition": message.partition(),
                "offset": message.offset(),
                "key": message.key().decode("utf-8") if message.key() is not None else None,
                # Header values are UTF-8 text: event-type, delivery-id, traceparent, ...
                "headers": {name: value.decode("utf-8") for name, value in (message.headers() or [])},
            }
            try:
                line["schemaId"], line["recordName"], line["record"] = decode_value(message.value(), schemas)
            except WireFormatError as error:
                line["error"] = str(error)
            print(json.dumps(line, default=as_json), flush=True)
            printed += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

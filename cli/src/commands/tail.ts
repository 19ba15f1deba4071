import { integerFlag, stringFlag, type Command } from '../command.js';
import { usageError } from '../cli-error.js';
import { decodeRecord } from '../kafka/decode-record.js';
import { readRanges } from '../kafka/read-ranges.js';
import { parsePosition, resolveRanges } from '../kafka/topic-positions.js';
import { jsonLine } from '../io/json-line.js';

export const tailCommand: Command = {
  name: 'tail',
  summary: 'follow a topic, each record decoded to a JSON line',
  help: `Usage: dyte-bridge tail TOPIC [options]

Prints each record of TOPIC as one JSON line on stdout: topic, partition, offset, timestamp, key, headers, record
(the Avro record type) and value (decoded with the schema registry). Reads in a throwaway consumer group that
commits nothing: the fleet's own offsets never move. Notes go to stderr.

  TOPIC                   a full topic name (dyte.meeting) or a role (meeting, recording, livestreaming,
                          unknown, archive, sessions, chat, transcript), which gets $TOPIC_PREFIX;
                          chat and transcript carry archived chats' messages and transcripts' lines
                          (headers job-id and record-id, <job id>:<line>, tell copies apart)

Options:
  --from-beginning        start at the oldest record (default: only records produced from now on)
  --from POS              start at POS: beginning, end, an offset, or an ISO 8601 time with its zone
  --to POS                stop at POS (exclusive) instead of following
  --partition N           only partition N
  --max N                 stop after N records

Exit: 0 done (or Ctrl-C); 2 bad arguments; 3 no such topic; 69 Kafka or the registry cannot be reached.`,
  options: {
    'from-beginning': { type: 'boolean' },
    from: { type: 'string' },
    to: { type: 'string' },
    partition: { type: 'string' },
    max: { type: 'string' },
  },
  async run(args, context) {
    const name = args.positionals[0];
    if (!name || args.positionals.length > 1) throw usageError('tail takes exactly one TOPIC (see: dyte-bridge tail --help)');
    const topic = name in context.topics ? context.topics[name as keyof typeof context.topics] : name;
    const fromFlag = stringFlag(args, 'from');
    if (fromFlag && args.values['from-beginning']) throw usageError('--from and --from-beginning cannot be used together');
    const from = fromFlag ? parsePosition('from', fromFlag) : { at: args.values['from-beginning'] ? ('beginning' as const) : ('end' as const) };
    const toFlag = stringFlag(args, 'to');
    const max = integerFlag(args, 'max');
    const ranges = await resolveRanges(context.kafka(), topic, {
      from,
      to: toFlag ? parsePosition('to', toFlag) : undefined,
      partition: integerFlag(args, 'partition'),
    });
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    context.err(
      `reading ${topic} from ${ranges.map((r) => `${r.partition}@${r.start}`).join(' ')}${toFlag ? ` to ${toFlag}` : ' (following; Ctrl-C stops)'}`,
    );
    let count = 0;
    if (max === 0) return;
    await readRanges(
      context.kafka(),
      ranges,
      async (message, t, partition) => {
        context.out(jsonLine(await decodeRecord(context.registry(), message, t, partition)));
        count++;
        return max === undefined || count < max;
      },
      stop.signal,
    );
    context.err(`${count} record(s)`);
  },
};

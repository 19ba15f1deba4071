import { rebuildLedger, sessionLedger } from '../../../shared/src/index.js';
import { NotFoundError } from '../cli-error.js';
import type { Command } from '../command.js';

export const ledgerRebuildCommand: Command = {
  name: 'ledger rebuild',
  summary: 'load the session ledger into Redis from the compacted sessions topic',
  help: `Usage: dyte-bridge ledger rebuild [--clear]

Reads the sessions topic ($TOPIC_PREFIX sessions, compacted: the latest record of each session is its whole state)
to its end and joins every state into the ledger in Redis ($REDIS_URL), then marks the ledger loaded. Nothing in
Redis is overwritten or lost: a state only adds to what is there. The dispatchers do the same on their own when they
find the ledger missing (a Redis restarted empty or flushed); this is for doing it at a time of your choosing.
Reads in a throwaway consumer group: no offset moves.

Options:
  --clear                 delete the ledger's keys in Redis first (a rebuild from the topic alone)

Exit: 0 done; 2 bad arguments; 3 no sessions topic; 69 Kafka, the registry or Redis cannot be reached.`,
  options: { clear: { type: 'boolean' } },
  async run(args, context) {
    const topic = context.topics.sessions;
    const admin = context.kafka().admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) throw new NotFoundError('TOPIC_NOT_FOUND', `topic ${topic} does not exist (no dispatcher has run with TOPIC_PREFIX ${context.config.topicPrefix})`);
    } finally {
      await admin.disconnect();
    }
    const ledger = sessionLedger(await context.redis(), context.config.topicPrefix);
    if (args.values.clear) context.err(`deleted ${await ledger.clear()} key(s) of the ledger`);
    const started = Date.now();
    const result = await rebuildLedger({ kafka: context.kafka(), registry: context.registry(), ledger, topic });
    context.out(`rebuilt the session ledger from ${topic}: ${result.records} record(s), ${result.sessions} session(s)${result.skipped ? `, ${result.skipped} record(s) skipped (not SessionState)` : ''} in ${Date.now() - started} ms`);
  },
};

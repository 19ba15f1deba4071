import type { IncomingHttpHeaders } from 'node:http';
import {
  createEventProducer,
  ensureTopics,
  eventSchemaPairs,
  fleetTopicSpecs,
  KAFKA_HEADERS,
  registerEventSchemas,
} from '../../../shared/src/index.js';
import { parseWebhookBody, webhookMessage, type WebhookMessage } from '../../../services/ingress/src/index.js';
import { PartialFailureError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readWebhookFile } from '../io/webhook-file.js';

export const replayWebhooksCommand: Command = {
  name: 'replay webhooks',
  summary: 're-publish webhooks from a file straight to Kafka, exactly as the ingress would have',
  help: `Usage: dyte-bridge replay webhooks FILE [--dry-run]

For recovery: publishes each webhook of FILE (one JSON object, a JSON array, or JSON lines; an element may be an
envelope {"headers": {...}, "body": {...}} keeping its dyte-uuid) to its topic, built exactly as the ingress
builds it (secrets removed, typed record or RawEvent, same headers), with acks from all replicas. No signature
is checked: whoever runs this already has the access it needs to Kafka. The delivery id is the recorded
dyte-uuid, or else the SHA-256 of the body's canonical JSON (as the ingress computes it), so consumers can tell
a replayed duplicate. An entry that is not a webhook is reported with its line and skipped; the others are still
published.

Options:
  --dry-run               check and build every record, publish nothing

Exit: 0 all published; 1 some entries were not webhooks (the rest were published); 2 bad arguments;
69 Kafka or the registry cannot be reached.`,
  options: { 'dry-run': { type: 'boolean' } },
  async run(args, context) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw usageError('replay webhooks takes exactly one FILE (see: dyte-bridge replay webhooks --help)');
    const { entries, bad } = readWebhookFile(file);
    const problems = bad.map((b) => `${b.origin}: ${b.problem}`);

    const catalog = context.catalog();
    const config = context.config;
    const kafka = context.kafka();
    await ensureTopics(kafka, fleetTopicSpecs(config));
    const encoder = await registerEventSchemas(context.registry(), catalog, eventSchemaPairs(context.topics));
    const messages: (WebhookMessage & { origin: string })[] = [];
    for (const entry of entries) {
      try {
        const { event, body } = parseWebhookBody(entry.raw);
        const arrival = { headers: entry.headers as IncomingHttpHeaders, receivedAtMs: Date.now() };
        messages.push({ origin: entry.origin, ...webhookMessage({ catalog, encoder, topics: context.topics }, event, body, arrival) });
      } catch (error) {
        problems.push(`${entry.origin}: ${(error as { code?: string }).code ?? 'INVALID'}: ${(error as Error).message}`);
      }
    }
    for (const problem of problems) context.err(`skipped ${problem}`);

    const byTopic = new Map<string, number>();
    for (const m of messages) byTopic.set(m.topic, (byTopic.get(m.topic) ?? 0) + 1);
    const counts = [...byTopic].map(([topic, n]) => `${n} to ${topic}`).join(', ') || 'nothing';
    if (args.values['dry-run']) {
      context.out(`dry run: would publish ${messages.length} webhook(s): ${counts}`);
    } else if (messages.length > 0) {
      const producer = createEventProducer(kafka);
      await producer.connect();
      try {
        for (const [topic] of byTopic) {
          const batch = messages.filter((m) => m.topic === topic).map((m) => ({ ...m.message, headers: { ...m.message.headers, [KAFKA_HEADERS.replayedAt.name]: new Date().toISOString() } }));
          await producer.send({ topic, acks: -1, messages: batch });
        }
      } finally {
        await producer.disconnect();
      }
      context.out(`published ${messages.length} webhook(s): ${counts}`);
      for (const m of messages) {
        context.err(`${m.origin}: ${m.record.recordName.split('.').pop()} (${m.record.stored}) on ${m.topic}, delivery ${m.message.headers[KAFKA_HEADERS.deliveryId.name]}`);
      }
    }
    if (problems.length > 0) throw new PartialFailureError(`${problems.length} entr${problems.length === 1 ? 'y was' : 'ies were'} not webhooks`);
  },
};

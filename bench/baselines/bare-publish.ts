import { readFileSync } from 'node:fs';
import type { Message } from 'kafkajs';
import { createEventProducer, createKafka, createLogger } from '../../shared/src/index.js';

// The session ledger's Kafka half alone: the same SessionState records, published by the fleet's own producer
// (acks=all) in requests of CHUNK, one after the other, from a process pinned like the dispatcher. Reads
// MESSAGES_FILE (a JSON array of {key, value (base64), headers}), prints
// {"msg":"done","records":N,"seconds":S,"cpuSeconds":C}: only the sends are timed.
async function main(): Promise<void> {
  const file = JSON.parse(readFileSync(process.env.MESSAGES_FILE ?? '', 'utf8')) as { key: string; value: string; headers: Record<string, string> }[];
  const messages: Message[] = file.map((m) => ({ key: m.key, value: Buffer.from(m.value, 'base64'), headers: m.headers }));
  const chunk = Number(process.env.CHUNK ?? 100);
  const topic = process.env.TOPIC ?? '';
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'bench-bare-publish', logger: createLogger({ level: 'error', name: 'bare-publish' }) });
  const producer = createEventProducer(kafka);
  await producer.connect();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += chunk) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ msg: 'done', records: messages.length, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  await producer.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

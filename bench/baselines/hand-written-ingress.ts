import { createPublicKey, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import Koa from 'koa';

// What a team would write by hand: a Koa route that reads the raw body, verifies the signature with the same
// parsed KeyObject, then awaits one kafkajs `send` per request (acks=all, idempotent producer, no batching of its
// own) of the raw JSON to one topic, keyed by the meeting id, and answers 202 after the ack. No schema, no Avro:
// less work per webhook than the ingress does. Env: DYTE_WEBHOOK_PUBLIC_KEY, KAFKA_BROKERS, TOPIC; prints
// {"msg":"listening","port":N} once the producer is connected.
async function main(): Promise<void> {
  const key = createPublicKey(process.env.DYTE_WEBHOOK_PUBLIC_KEY ?? '');
  const topic = process.env.TOPIC ?? '';
  const kafka = new Kafka({ clientId: 'bench-hand-written', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.ERROR });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/webhooks/dyte') {
      ctx.status = 404;
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const signature = Buffer.from(String(ctx.get('dyte-signature')), 'base64');
    if (signature.length === 0 || !verify('sha256', body, key, signature)) {
      ctx.status = 401;
      ctx.body = { error: 'signature' };
      return;
    }
    const parsed = JSON.parse(body.toString()) as { meeting?: { id?: string } };
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: parsed.meeting?.id ?? null, value: body }] });
    } catch {
      ctx.status = 503;
      ctx.body = { error: 'kafka' };
      return;
    }
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port }));
  });
  server.keepAliveTimeout = 60_000;
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void producer.disconnect().finally(() => process.exit(0)));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

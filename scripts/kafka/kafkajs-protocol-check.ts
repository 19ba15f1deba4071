// Which version of each Kafka API kafkajs would send to a broker, and whether that broker still accepts it.
// kafkajs picks min(its newest implementation, the broker's max) and never looks at the broker's min: an API whose
// old versions a broker removed (Kafka 4.0, KIP-896) fails only when that request is first sent.
// Usage: npx tsx scripts/kafka/kafkajs-protocol-check.ts [host:port] (default 127.0.0.1:9092). Exit 1 if any API the
// fleet uses would be sent in a version the broker refuses. Evidence for docs/adr/0013.
import { connect } from 'node:net';

interface Range {
  min: number;
  max: number;
}

// kafkajs's own request table (internal, but pinned by package-lock): the versions each API implements.
const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, { versions: string[] }> };
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
const { version: kafkajsVersion } = require('kafkajs/package.json') as { version: string };

/** The APIs the fleet's code paths send (producer, consumer groups, admin calls, idempotence). */
const USED = new Set([
  'Produce', 'Fetch', 'ListOffsets', 'Metadata', 'OffsetCommit', 'OffsetFetch', 'GroupCoordinator', 'JoinGroup',
  'Heartbeat', 'LeaveGroup', 'SyncGroup', 'DescribeGroups', 'ListGroups', 'ApiVersions', 'CreateTopics',
  'DeleteTopics', 'InitProducerId', 'DescribeConfigs', 'DeleteGroups',
]);

/** ApiVersions v0 over a plain socket: every broker answers it, whatever else it removed. */
function brokerApiVersions(host: string, port: number): Promise<Map<number, Range>> {
  return new Promise((resolve, reject) => {
    const clientId = Buffer.from('kafkajs-protocol-check');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // ApiVersions
    body.writeInt16BE(0, 2);
    body.writeInt32BE(1, 4);
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    const socket = connect({ host, port }, () => socket.write(Buffer.concat([size, body])));
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      const errorCode = received.readInt16BE(8);
      if (errorCode !== 0) return reject(new Error(`ApiVersions error ${errorCode}`));
      const count = received.readInt32BE(10);
      const ranges = new Map<number, Range>();
      for (let i = 0, at = 14; i < count; i++, at += 6) {
        ranges.set(received.readInt16BE(at), { min: received.readInt16BE(at + 2), max: received.readInt16BE(at + 4) });
      }
      resolve(ranges);
    });
  });
}

async function main(): Promise<void> {
  const [host = '127.0.0.1', port = '9092'] = (process.argv[2] ?? '127.0.0.1:9092').split(':');
  const broker = await brokerApiVersions(host, Number(port));
  console.log(`kafkajs ${kafkajsVersion} against ${host}:${port}`);
  console.log('| API | key | kafkajs implements | broker accepts | kafkajs sends | verdict |');
  console.log('|---|---|---|---|---|---|');
  let refused = 0;
  for (const [name, definition] of Object.entries(requests)) {
    const implemented = definition.versions.map(Number);
    if (implemented.length === 0) continue;
    const key = apiKeys[name] as number;
    const range = broker.get(key);
    const newest = Math.max(...implemented);
    const sends = range ? Math.min(newest, range.max) : undefined;
    let verdict: string;
    if (!range) verdict = 'API removed from the broker';
    else if (sends !== undefined && sends < range.min) verdict = 'REFUSED: below the broker minimum';
    else verdict = 'ok';
    if (verdict !== 'ok' && USED.has(name)) refused++;
    const accepts = range ? `${range.min}-${range.max}` : 'none';
    console.log(`| ${name}${USED.has(name) ? '' : ' (unused)'} | ${key} | ${Math.min(...implemented)}-${newest} | ${accepts} | ${sends ?? '-'} | ${verdict} |`);
  }
  console.log(refused === 0 ? 'every API the fleet uses is sent in a version the broker accepts' : `${refused} API(s) the fleet uses would be refused`);
  process.exitCode = refused === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 69;
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey } from '../../../shared/src/index.js';
import { startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli, startCli } from '../../helpers/run-cli.js';
import { fixture } from '../../helpers/fixtures.js';

const seedFixture = (name: string) => fixture('seed', name);

describe('dyte-bridge send and tail, against a real ingress, Kafka and registry', () => {
  let ingress: IngressUnderTest;
  let dir: string;
  let keyFile: string;
  let env: Record<string, string>;

  before(async () => {
    ingress = await startIngress();
    dir = mkdtempSync(join(tmpdir(), 'cli-send-'));
    keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, ingress.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    env = { TOPIC_PREFIX: ingress.topicPrefix, INGRESS_URL: ingress.url };
  });
  after(async () => ingress.stop());

  it('when a sample is sent by name, then it is answered 202 and tail --from-beginning shows it decoded', async () => {
    const sent = await runCli(['send', 'meeting-started', '--key', keyFile], env);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /^202 meeting\.started /);

    const tail = await runCli(['tail', 'meeting', '--from-beginning', '--max', '1'], env);
    assert.equal(tail.code, 0, tail.stderr);
    const record = JSON.parse(tail.stdout.trim()) as { topic: string; record: string; key: string; headers: Record<string, string>; value: { meeting: { id: string } } };
    const sample = seedFixture('meeting-started') as { meeting: { id: string } };
    assert.equal(record.topic, `${ingress.topicPrefix}meeting`);
    assert.equal(record.record, 'io.dytebridge.dyte.MeetingStarted');
    assert.equal(record.value.meeting.id, sample.meeting.id);
    assert.equal(record.key, sample.meeting.id);
    assert.equal(record.headers['event-type'], 'meeting.started');
  });

  it('when tail follows from now, then a webhook sent after it started appears, and Ctrl-C ends it with 0', async () => {
    const tail = startCli(['tail', `${ingress.topicPrefix}meeting`], env);
    await tail.waitForStderr(/following/);
    const uuid = `cli-follow-${Date.now()}`;
    const file = join(dir, 'envelope.json');
    writeFileSync(file, JSON.stringify({ headers: { 'dyte-uuid': uuid }, body: seedFixture('meeting-ended') }));
    const sent = await runCli(['send', file, '--key', keyFile], env);
    assert.equal(sent.code, 0, sent.stderr);
    const [line] = await tail.waitForLines(1);
    const record = JSON.parse(line as string) as { record: string; headers: Record<string, string> };
    assert.equal(record.record, 'io.dytebridge.dyte.MeetingEnded');
    assert.equal(record.headers['delivery-id'], uuid, 'the recorded dyte-uuid is sent');
    tail.child.kill('SIGINT');
    assert.equal(await tail.exited, 0, tail.stderr());
  });

  it('when a file of JSON lines holds a line that is not JSON, then the others are sent and it exits 1 naming the line', async () => {
    const file = join(dir, 'webhooks.ndjson');
    const lines = [JSON.stringify(seedFixture('meeting-participantJoined')), '{not json', JSON.stringify(seedFixture('meeting-participantLeft'))];
    writeFileSync(file, lines.join('\n'));
    const sent = await runCli(['send', file, '--key', keyFile], env);
    assert.equal(sent.code, 1);
    assert.equal(sent.stdout.trim().split('\n').filter((l) => l.startsWith('202 ')).length, 2, sent.stdout);
    assert.match(sent.stderr, /webhooks\.ndjson:2: not JSON/);
  });

  it('when signed with a key the ingress does not know, then it prints the 401 and exits 1', async () => {
    const other = join(dir, 'other.pem');
    writeFileSync(other, createSigningKey().privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const sent = await runCli(['send', 'meeting-started', '--key', other], env);
    assert.equal(sent.code, 1);
    assert.match(sent.stdout, /^401 meeting\.started .*SIGNATURE_INVALID/);
  });

  it('when the ingress cannot be reached, then it exits 69 saying so', async () => {
    const sent = await runCli(['send', 'meeting-started', '--key', keyFile, '--url', 'http://127.0.0.1:9'], env);
    assert.equal(sent.code, 69);
    assert.match(sent.stderr, /cannot reach the ingress at http:\/\/127\.0\.0\.1:9\/webhooks\/dyte/);
  });

  it('when asked for a topic that does not exist, or a sample that does not exist, then it exits 3 or 2 naming it', async () => {
    const tail = await runCli(['tail', 'no-such-topic-here', '--max', '1'], env);
    assert.equal(tail.code, 3);
    assert.match(tail.stderr, /topic no-such-topic-here does not exist/);
    const send = await runCli(['send', 'meeting.nope', '--key', keyFile], env);
    assert.equal(send.code, 2);
    assert.match(send.stderr, /no sample or file named "meeting\.nope"/);
  });
});

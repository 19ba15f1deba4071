import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { logLevel } from 'kafkajs';
import { EXPECTED_ANSWERS, kafkajsLogLevel } from '../../../../shared/src/index.js';

// kafkajs's table of broker errors (not part of its typed API, hence the require), to check the messages mapped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: { type: string; message: string }[] };

describe("kafkajs's log lines at the level they deserve", () => {
  it('when kafkajs logs an expected broker answer (coordinator loading, topic exists, member id required), then it is not an error', () => {
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The group coordinator is not available' }), 'info');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic with this name already exists' }), 'info');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', { error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' }), 'warn');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Failed to connect to broker, reconnecting', { retryCount: 0 }), 'warn');
  });

  it('when kafkajs logs any other error (an unknown answer, a crash, a failed send), then it stays an error', () => {
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { error: 'The server experienced an unexpected error when processing the request' }), 'error');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available', { groupId: 'g' }), 'error');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Failed to send messages: Topic with this name already exists', {}), 'error');
    assert.equal(kafkajsLogLevel(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', {}), 'error', 'no broker error named: kept');
    assert.equal(kafkajsLogLevel(logLevel.WARN, 'anything', {}), 'warn');
    assert.equal(kafkajsLogLevel(logLevel.INFO, 'anything', {}), 'info');
    assert.equal(kafkajsLogLevel(logLevel.DEBUG, 'anything', {}), 'debug');
  });

  it('when compared with kafkajs\'s own table of broker errors, then every mapped message is one kafkajs writes', () => {
    // CreateTopics's answer for several topics is an aggregate of the per-topic errors, under this message.
    const createTopics = readFileSync(require.resolve('kafkajs/src/protocol/requests/createTopics/v0/response.js'), 'utf8');
    const aggregate = /KafkaJSAggregateError\(\s*'([^']+)'/.exec(createTopics)?.[1];
    assert.equal(aggregate, 'Topic creation errors');
    const known = new Set([...errorCodes.map((code) => code.message), aggregate]);
    for (const message of EXPECTED_ANSWERS) assert.ok(known.has(message), `kafkajs has no broker error "${message}"`);
  });
});

import { strict as assert } from 'node:assert';
import {
  baseConfigSchema,
  booleanSetting,
  ConfigError,
  integerSetting,
  loadConfig,
  stringSetting,
} from '../../../../shared/src/index.js';

describe('loadConfig', () => {
  it('when nothing is set, then every base setting takes its documented default', () => {
    const config = loadConfig(baseConfigSchema, {});
    assert.deepEqual(config, {
      kafkaBrokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'info',
      topicPrefix: 'dyte.',
      archiveQueue: 'dyte-archive',
      jobAttempts: 20,
      topicPartitions: 6,
      topicReplicationFactor: 1,
      topicMinInsyncReplicas: undefined,
    });
  });

  it('when variables are set, then they are parsed to typed values', () => {
    const config = loadConfig(baseConfigSchema, {
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9093',
      SCHEMA_REGISTRY_URL: 'https://registry.example/',
      LOG_LEVEL: 'debug',
    });
    assert.deepEqual(config.kafkaBrokers, ['kafka-1:9092', 'kafka-2:9093']);
    assert.equal(config.schemaRegistryUrl, 'https://registry.example');
    assert.equal(config.logLevel, 'debug');
  });

  it('when several variables are wrong, then one error names each variable and its rule', () => {
    const error = captureError(() =>
      loadConfig(baseConfigSchema, { KAFKA_BROKERS: 'localhost', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' }),
    );
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.retriable, false);
    assert.deepEqual(error.problems, [
      'KAFKA_BROKERS must be a comma-separated list of host:port (got "localhost")',
      'REDIS_URL must be a URL starting with redis:// or rediss:// (got "http://x")',
      'LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
    ]);
  });

  it('when a required variable is missing, then the error says it is required and what it is for', () => {
    const schema = { token: stringSetting({ env: 'ADMIN_TOKEN', doc: 'Admin token', secret: true }) };
    const error = captureError(() => loadConfig(schema, {}));
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems, ['ADMIN_TOKEN is required: a non-empty string (Admin token)']);
  });

  it('when a secret is malformed, then its value is not echoed', () => {
    const schema = { port: integerSetting({ env: 'SECRET_PORT', doc: 'x', min: 1, max: 10, secret: true }) };
    const error = captureError(() => loadConfig(schema, { SECRET_PORT: 'hunter2' }));
    assert.ok(error instanceof ConfigError);
    assert.ok(!error.message.includes('hunter2'), error.message);
  });

  it('when integers and booleans are out of their rules, then they are refused', () => {
    const schema = {
      port: integerSetting({ env: 'PORT', doc: 'port', min: 1, max: 65535, default: 3000 }),
      verify: booleanSetting({ env: 'VERIFY', doc: 'verify', default: true }),
    };
    assert.deepEqual(loadConfig(schema, { PORT: '8080', VERIFY: 'false' }), { port: 8080, verify: false });
    const error = captureError(() => loadConfig(schema, { PORT: '70000', VERIFY: 'yes' }));
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems, [
      'PORT must be an integer from 1 to 65535 (got "70000")',
      'VERIFY must be true or false (got "yes")',
    ]);
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

import { strict as assert } from 'node:assert';
import {
  ConfigError,
  createRedis,
  describeProviderClient,
  isSecretKey,
  loadConfig,
  providerClientFromConfig,
  providerSettings,
  providerTarget,
} from '../../../shared/src/index.js';

const schema = providerSettings();
const load = (env: Record<string, string>) => loadConfig(schema, env);
// Never connects: the client is only built, not used.
const redis = createRedis('redis://127.0.0.1:1', { lazyConnect: true });

describe('provider settings', () => {
  after(() => redis.disconnect());

  it('when nothing is set, then the provider API is off with RealtimeKit\'s documented limits as defaults', () => {
    const config = load({});
    assert.equal(config.provider, 'none');
    assert.equal(config.rtkApiBase, 'https://api.cloudflare.com/client/v4');
    assert.equal(config.dyteApiBase, 'https://api.dyte.io/v2');
    assert.deepEqual(
      [config.providerRateLimit, config.providerRateWindowMs, config.providerRecordingsRateLimit, config.providerRecordingsRateWindowMs],
      [250, 10_000, 1000, 60_000],
    );
    assert.equal(providerTarget(config), undefined);
    assert.equal(providerClientFromConfig(config, { redis }), undefined);
    assert.equal(describeProviderClient(undefined), 'provider API: off');
  });

  it('when a provider is chosen with all its variables, then a client is built and described without its credentials', () => {
    const rtk = providerClientFromConfig(
      load({ PROVIDER: 'realtimekit', RTK_ACCOUNT_ID: 'acc1', RTK_APP_ID: 'app1', RTK_API_TOKEN: 'tok-secret-1' }),
      { redis },
    );
    assert.equal(describeProviderClient(rtk), 'provider API: realtimekit (account acc1, app app1, https://api.cloudflare.com/client/v4)');
    const dyte = providerClientFromConfig(load({ PROVIDER: 'dyte', DYTE_ORG_ID: 'org1', DYTE_API_KEY: 'key-secret-1' }), { redis });
    assert.equal(describeProviderClient(dyte), 'provider API: dyte (organization org1, https://api.dyte.io/v2)');
    assert.ok(!JSON.stringify(rtk).includes('tok-secret-1'), 'the token is not a field of the client');
    assert.ok(!JSON.stringify(dyte).includes('key-secret-1'), 'the key is not a field of the client');
  });

  it('when a chosen provider is half-configured, then one ConfigError names every missing variable', () => {
    const error = capture(() => providerTarget(load({ PROVIDER: 'realtimekit', RTK_APP_ID: 'app1' })));
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems, [
      'RTK_ACCOUNT_ID is required when PROVIDER=realtimekit (the provider API is half-configured)',
      'RTK_API_TOKEN is required when PROVIDER=realtimekit (the provider API is half-configured)',
    ]);
    const dyte = capture(() => providerTarget(load({ PROVIDER: 'dyte', DYTE_API_KEY: 'key-secret-2' })));
    assert.ok(dyte instanceof ConfigError);
    assert.deepEqual(dyte.problems, ['DYTE_ORG_ID is required when PROVIDER=dyte (the provider API is half-configured)']);
    assert.ok(!dyte.message.includes('key-secret-2'));
  });

  it('when credentials are set but PROVIDER is none, then the start is refused, naming the variables and not their values', () => {
    const error = capture(() => providerTarget(load({ RTK_API_TOKEN: 'tok-secret-3', DYTE_ORG_ID: 'org1' })));
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PROVIDER is none but RTK_API_TOKEN, DYTE_ORG_ID are set/);
    assert.ok(!error.message.includes('tok-secret-3'));
  });

  it('when an API base is plain http, then only a loopback host is accepted', () => {
    assert.equal(load({ RTK_API_BASE: 'http://127.0.0.1:8091/client/v4/' }).rtkApiBase, 'http://127.0.0.1:8091/client/v4');
    assert.equal(load({ DYTE_API_BASE: 'http://localhost:8091/v2' }).dyteApiBase, 'http://localhost:8091/v2');
    assert.equal(load({ DYTE_API_BASE: 'http://[::1]:8091/v2' }).dyteApiBase, 'http://[::1]:8091/v2');
    for (const [env, value] of [
      ['RTK_API_BASE', 'http://api.cloudflare.com/client/v4'],
      ['DYTE_API_BASE', 'http://10.0.0.5/v2'],
      ['RTK_API_BASE', 'ftp://api.cloudflare.com'],
      ['RTK_API_BASE', 'https://user:pass@api.cloudflare.com/client/v4'],
    ] as const) {
      const error = capture(() => load({ [env]: value }));
      assert.ok(error instanceof ConfigError, `${env}=${value}`);
      assert.match(error.message, new RegExp(`${env} must be a https:// URL \\(http:// only for a loopback host`));
    }
  });

  it('when the settings are secrets, then they are marked secret and their names are on the one secret-key list', () => {
    assert.equal(schema.rtkApiToken.secret, true);
    assert.equal(schema.dyteApiKey.secret, true);
    for (const name of ['rtkApiToken', 'RTK_API_TOKEN', 'dyteApiKey', 'DYTE_API_KEY', 'apiToken', 'api_key', 'authorization']) {
      assert.equal(isSecretKey(name), true, name);
    }
    for (const name of ['rtkAccountId', 'rtkAppId', 'dyteOrgId', 'rtkApiBase']) assert.equal(isSecretKey(name), false, name);
  });
});

function capture(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

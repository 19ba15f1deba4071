import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '../../../shared/src/index.js';
import { adminBoardSettings } from '../../../services/dispatcher/src/admin/admin-settings.js';
import { configSchema } from '../../../services/dispatcher/src/config.js';

const board = (env: Record<string, string>) => adminBoardSettings(loadConfig(configSchema, env));

describe('admin board settings', () => {
  it('when ADMIN_PORT is unset, then there is no board, whatever the token', () => {
    assert.equal(board({}), undefined);
    assert.equal(board({ ADMIN_TOKEN: 'a-token-long-enough-0123' }), undefined);
    assert.equal(board({ ADMIN_PORT: '' }), undefined, 'an empty value (compose without DYTE_ADMIN_TOKEN) is unset');
  });

  it('when ADMIN_PORT is set without ADMIN_TOKEN, then it is a configuration error naming ADMIN_TOKEN', () => {
    assert.throws(() => board({ ADMIN_PORT: '9103' }), (error: unknown) => error instanceof ConfigError && /ADMIN_TOKEN is required when ADMIN_PORT is set/.test(error.message));
  });

  it('when the token is too short, then the error names the rule and hides the value', () => {
    assert.throws(
      () => board({ ADMIN_PORT: '9103', ADMIN_TOKEN: 'tooshort' }),
      (error: unknown) => error instanceof ConfigError && /ADMIN_TOKEN must be a string of at least 16 characters \(got <secret>\)/.test(error.message) && !error.message.includes('tooshort'),
    );
  });

  it('when both are set, then the board binds the loopback interface unless ADMIN_HOST says otherwise', () => {
    const token = 'a-token-long-enough-0123';
    assert.deepEqual(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token }), { host: '127.0.0.1', port: 9103, token, trustProxy: false });
    assert.equal(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token, ADMIN_HOST: '0.0.0.0' })?.host, '0.0.0.0');
  });

  it('when the token is long enough but predictable (one character, two alternating, a sequence, a repeated word), then it is refused naming ADMIN_TOKEN and the rule, and hides the value', () => {
    const predictable = [
      'aaaaaaaaaaaaaaaa',
      'abababababababab',
      '1234567890123456',
      'abcdefghijklmnopqrstuvwxyz',
      'passwordpassword',
      'abcabcabcabcabcabcabcabc',
      '0000000000000000000000000000000000000001',
    ];
    for (const token of predictable) {
      assert.throws(
        () => board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /ADMIN_TOKEN must be a token of at least 64 bits of estimated entropy.*openssl rand -hex 16.*\(got <secret>\)/.test(error.message) &&
          !error.message.includes(token),
        token,
      );
    }
  });

  it('when the token is random (openssl rand -hex 16 or -hex 24, a UUID, 24 base64 characters), then it is accepted, every time', () => {
    for (let i = 0; i < 2000; i++) {
      for (const token of [randomBytes(16).toString('hex'), randomBytes(24).toString('hex'), randomUUID(), randomBytes(18).toString('base64')]) {
        assert.equal(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token })?.token, token);
      }
    }
  });

  it('when ADMIN_TRUST_PROXY is unset, then X-Forwarded-* headers are not trusted; "true" trusts one proxy in front', () => {
    const token = randomBytes(16).toString('hex');
    assert.equal(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token })?.trustProxy, false);
    assert.equal(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token, ADMIN_TRUST_PROXY: 'true' })?.trustProxy, true);
  });
});

import { strict as assert } from 'node:assert';
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
    assert.deepEqual(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token }), { host: '127.0.0.1', port: 9103, token });
    assert.equal(board({ ADMIN_PORT: '9103', ADMIN_TOKEN: token, ADMIN_HOST: '0.0.0.0' })?.host, '0.0.0.0');
  });
});

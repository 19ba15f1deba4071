import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig } from '../../../shared/src/index.js';
import { configSchema } from '../../../services/ingress/src/config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(configSchema, env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

describe('ingress config', () => {
  it('when the key URL is plain http on a host that is not loopback, then boot fails naming the variable and the rule', () => {
    const problems = problemsOf({ DYTE_WEBHOOK_PUBLIC_KEY_URL: 'http://user:pw@keys.example/.well-known/webhooks.json' });
    assert.equal(problems.length, 1, problems.join('; '));
    assert.match(problems[0] ?? '', /^DYTE_WEBHOOK_PUBLIC_KEY_URL must be an https:\/\/ URL/);
    assert.ok(!problems[0]?.includes('pw@'), 'a URL that may hold a password is not echoed');
  });

  it('when the key URL is https, or http on 127.0.0.1, ::1 or localhost, then it is accepted', () => {
    for (const url of ['https://api.dyte.io/.well-known/webhooks.json', 'http://127.0.0.1:8080/k', 'http://[::1]:8080/k', 'http://localhost/k']) {
      assert.deepEqual(problemsOf({ DYTE_WEBHOOK_PUBLIC_KEY_URL: url }), [], url);
    }
  });

  it('when nothing about the compact-JSON fallback is set, then it is off and capped at 64 KiB', () => {
    const config = loadConfig(configSchema, {});
    assert.equal(config.compactJsonFallback, false);
    assert.equal(config.compactJsonMaxBytes, 64 * 1024);
  });
});

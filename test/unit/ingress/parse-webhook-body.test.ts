import { strict as assert } from 'node:assert';
import { InvalidInputError } from '../../../shared/src/index.js';
import { parseWebhookBody } from '../../../services/ingress/src/domain/parse-webhook-body.js';

describe('parseWebhookBody', () => {
  it('when the body is not JSON, then the 400 names the reason but quotes none of the body (it may hold a secret)', () => {
    for (const text of ['{"streamKey": sk_live_abcdef}', 'sk_live_abcdef', '["sk_live_abcdef" "x"]']) {
      assert.throws(() => parseWebhookBody(Buffer.from(text)), (error: unknown) => {
        assert.ok(error instanceof InvalidInputError && error.code === 'INVALID_JSON', String(error));
        assert.match(error.message, /^request body is not valid JSON: \w/);
        assert.ok(!error.message.includes('sk_live'), error.message);
        return true;
      });
    }
  });

  it('when objects and arrays nest deeper than 64 levels, then JSON_TOO_DEEP; 64 levels, or many brackets side by side or in strings, pass', () => {
    const nested = (levels: number, open: (i: number) => string, close: (i: number) => string) =>
      `{"event":"x","v":${Array.from({ length: levels - 1 }, (_, i) => open(i)).join('')}1${Array.from({ length: levels - 1 }, (_, i) => close(levels - 2 - i)).join('')}}`;
    const mixed = (levels: number) => nested(levels, (i) => (i % 2 ? '[' : '{"a":'), (i) => (i % 2 ? ']' : '}'));
    assert.throws(() => parseWebhookBody(Buffer.from(mixed(65))), (error: unknown) => error instanceof InvalidInputError && error.code === 'JSON_TOO_DEEP');
    assert.throws(() => parseWebhookBody(Buffer.from(nested(65, () => '[', () => ']'))), (error: unknown) => error instanceof InvalidInputError && error.code === 'JSON_TOO_DEEP');
    assert.equal(parseWebhookBody(Buffer.from(mixed(64))).event, 'x');
    const wide = `{"event":"x","v":[${Array.from({ length: 200 }, () => '{"a":[]}').join(',')}],"s":"${'{['.repeat(100)}"}`;
    assert.equal(parseWebhookBody(Buffer.from(wide)).event, 'x');
  });
});

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
});

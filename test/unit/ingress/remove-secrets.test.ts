import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { loadSchemaCatalog, type Delivery } from '../../../shared/src/index.js';
import { buildEventRecord } from '../../../services/ingress/src/domain/build-event-record.js';
import { removeSecrets } from '../../../services/ingress/src/domain/remove-secrets.js';
import { fixture } from '../../helpers/fixtures.js';

const catalog = loadSchemaCatalog();
const delivery: Delivery = { deliveryId: 'd-1', bodySha256: 'ab', webhookId: null, source: 'dyte', receivedAt: 1 };
const SECRET = 'SECRET-VALUE-7f3a';

/** Secret names as words, spelled by the generator in any case and with any separators. */
const SECRET_WORDS = [
  ['stream', 'key'], ['access', 'token'], ['refresh', 'token'], ['token'], ['client', 'secret'], ['secret'],
  ['password'], ['api', 'key'], ['private', 'key'], ['authorization'], ['signature'], ['cookie'], ['auth', 'token'],
];

const secretSpelling = fc
  .tuple(fc.constantFrom(...SECRET_WORDS), fc.constantFrom('', '_', '-'), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }))
  .map(([words, separator, upper]) =>
    [...words.join(separator)].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''),
  );

/** A path of object keys and array positions to put a secret under, 0 to 6 levels deep. */
const path = fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/[a-z]/i.test(k)), fc.constant(0)), { maxLength: 6 });

function place(target: Record<string, unknown>, steps: (string | number)[], key: string, value: unknown): Record<string, unknown> {
  let node: Record<string, unknown> | unknown[] = target;
  for (const [i, step] of steps.entries()) {
    const next: Record<string, unknown> | unknown[] = typeof steps[i + 1] === 'number' ? [] : {};
    if (Array.isArray(node)) node.push(next);
    else node[typeof step === 'number' ? `n${i}` : step] = next;
    node = next;
  }
  if (Array.isArray(node)) node.push({ [key]: value });
  else node[key] = value;
  return target;
}

describe('removeSecrets', () => {
  it('when a secret is spelled StreamKey, STREAMKEY, stream_key or stream-key at any depth, then every one is gone', () => {
    const body = {
      event: 'livestreaming.statusUpdate',
      StreamKey: SECRET,
      STREAMKEY: SECRET,
      stream_key: SECRET,
      meeting: { id: 'm', 'stream-key': SECRET, participants: [{ id: 'p', access_token: SECRET, name: 'Ann' }] },
      deep: { a: { b: { c: { d: { Client_Secret: SECRET, kept: 'yes' } } } } },
    };
    const clean = removeSecrets(body);
    assert.ok(!JSON.stringify(clean).includes(SECRET), JSON.stringify(clean));
    assert.deepEqual(clean, { event: 'livestreaming.statusUpdate', meeting: { id: 'm', participants: [{ id: 'p', name: 'Ann' }] }, deep: { a: { b: { c: { d: { kept: 'yes' } } } } } });
  });

  it('when a body has ids and other fields named after secrets (tokenId, secretName), then they are kept', () => {
    const body = { event: 'x', tokenId: 't-1', secretName: 'n', signatureAlgorithm: 'RSA-SHA256', publicKey: 'pem' };
    assert.deepEqual(removeSecrets(body), body);
  });

  it('when any secret spelling sits at any depth of any JSON (property), then its value is in neither the typed nor the raw record', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), path, secretSpelling, fc.boolean(), (noise, steps, key, typed) => {
        const base = typed ? fixture('seed', 'meeting-started') : { event: 'meeting.pollCreated', meeting: { id: 'm' } };
        const body = place({ ...base, noise }, steps, key, SECRET);
        assert.ok(JSON.stringify(body).includes(SECRET), 'the generator placed the secret');
        const clean = removeSecrets(body);
        assert.ok(!JSON.stringify(clean).includes(SECRET), `${key} at ${JSON.stringify(steps)}`);
        const record = buildEventRecord(catalog, String(body.event), clean, delivery);
        assert.equal(record.stored, typed ? 'typed' : 'raw');
        assert.ok(!JSON.stringify(record.value).includes(SECRET), `${key} at ${JSON.stringify(steps)} in ${record.stored}`);
      }),
      { numRuns: 1000 },
    );
  });
});

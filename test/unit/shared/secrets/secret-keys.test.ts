import { strict as assert } from 'node:assert';
import { isSecretKey, normaliseKey } from '../../../../shared/src/index.js';

describe('isSecretKey', () => {
  const secrets = [
    'streamKey', 'StreamKey', 'STREAMKEY', 'stream_key', 'stream-key', 'Stream_Key', 'rtmpStreamKey',
    'token', 'Token', 'accessToken', 'access_token', 'refresh_token', 'authToken', 'participantToken', 'x-amz-security-token',
    'secret', 'clientSecret', 'client_secret', 'CLIENT-SECRET', 'webhookSecret', 'secretKey', 'secretAccessKey', 'secrets',
    'password', 'Password', 'db_password', 'passwd', 'passphrase',
    'apiKey', 'api_key', 'X-API-KEY', 'privateKey', 'private_key', 'privateKeyPem',
    'authorization', 'Authorization', 'proxy-authorization', 'signature', 'dyte-signature', 'rtk-signature', 'X-Amz-Signature',
    'cookie', 'set-cookie', 'cookies', 'credentials', 'jwt', 'auth',
  ];
  const notSecrets = [
    'tokenId', 'token_id', 'tokenType', 'secretName', 'passwordPolicy', 'signatureAlgorithm', 'signatures', 'streamKeyId',
    'publicKey', 'key', 'keyId', 'apiKeyId', 'maxTokens', 'meetingId', 'streamId', 'ingestServer', 'playbackUrl', 'downloadUrl',
    'event', 'id', 'author', 'authorName', 'verifySignatures',
  ];

  it('when a key names a secret in any case or with _ or - separators, then it is a secret', () => {
    for (const key of secrets) assert.equal(isSecretKey(key), true, key);
  });

  it('when a key only names something about a secret (its id, type, name, policy), then it is not a secret', () => {
    for (const key of notSecrets) assert.equal(isSecretKey(key), false, key);
  });

  it('when a key is normalised, then it is lower-case without separators', () => {
    assert.equal(normaliseKey('Stream_Key'), 'streamkey');
    assert.equal(normaliseKey('x-amz-signature'), 'xamzsignature');
    assert.equal(normaliseKey('ＳｔｒｅａｍＫｅｙ'), 'streamkey', 'full-width letters fold (NFKC)');
  });
});

export { isSecretKey, normaliseKey } from './secret-keys.js';
export { redactUrl, redactUrlUserinfo } from './redact-url.js';

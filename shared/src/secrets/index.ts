export { isSecretKey, normaliseKey, SECRET_NAME_ENDINGS, SECRET_NAMES } from './secret-keys.js';
export { redactUrl, redactUrlUserinfo } from './redact-url.js';

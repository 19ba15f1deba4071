export { signWebhookBody } from './sign-webhook-body.js';
export { createSigningKey, type SigningKey } from './signing-key.js';

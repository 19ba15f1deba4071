import { baseConfigSchema, providerSettings, urlSetting } from '../../shared/src/index.js';

/** What `dyte-bridge` reads from the environment: the fleet's own variables, so it talks to the same stack. */
export const configSchema = {
  ...baseConfigSchema,
  ingressUrl: urlSetting({
    env: 'INGRESS_URL',
    doc: 'Base URL of the ingress that `dyte-bridge send` posts to',
    default: 'http://127.0.0.1:3000',
    protocols: ['http:', 'https:'],
  }),
  // For `dyte-bridge reconcile`; checked as a whole only when that command builds the client.
  ...providerSettings(),
};

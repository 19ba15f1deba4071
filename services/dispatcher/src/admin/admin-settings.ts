import { booleanSetting, ConfigError, integerSetting, optionalStringSetting, stringSetting, type Setting } from '../../../../shared/src/index.js';
import { estimateTokenBits, MIN_TOKEN_BITS } from './token-entropy.js';

const MIN_TOKEN_LENGTH = 16;
const TOKEN_RULE = `a string of at least ${MIN_TOKEN_LENGTH} characters with at least ${MIN_TOKEN_BITS} bits of estimated entropy (e.g. openssl rand -hex 16)`;

/** The settings of the queue dashboard: off unless ADMIN_PORT is set, and then only with ADMIN_TOKEN. */
export const adminConfigSchema = {
  adminPort: {
    ...integerSetting({ env: 'ADMIN_PORT', doc: 'Port of the queue dashboard (Bull Board); unset: no dashboard. Needs ADMIN_TOKEN', min: 0, max: 65535 }),
    optional: true,
  } as Setting<number | undefined>,
  adminHost: stringSetting({
    env: 'ADMIN_HOST',
    doc: 'Interface the queue dashboard binds; only local by default',
    default: '127.0.0.1',
  }),
  adminToken: {
    ...optionalStringSetting({ env: 'ADMIN_TOKEN', doc: `Token of the queue dashboard, ${TOKEN_RULE} (never logged)` }),
    format: TOKEN_RULE,
    secret: true,
    parse: (raw: string) => {
      if (raw.length < MIN_TOKEN_LENGTH) throw new Error(`a string of at least ${MIN_TOKEN_LENGTH} characters`);
      // A long token can still be guessed if it is predictable (aaaa..., 1234..., a word repeated).
      if (estimateTokenBits(raw) < MIN_TOKEN_BITS) {
        throw new Error(
          `a token of at least ${MIN_TOKEN_BITS} bits of estimated entropy, not repeated, alternating or sequential characters (generate one: openssl rand -hex 16)`,
        );
      }
      return raw;
    },
  } as Setting<string | undefined>,
  adminTrustProxy: booleanSetting({
    env: 'ADMIN_TRUST_PROXY',
    doc: 'The dashboard is behind one reverse proxy that sets X-Forwarded-Proto and appends X-Forwarded-For: trust them (Secure cookie, per-address back-off)',
    default: false,
  }),
};

/** Where and how the dashboard runs, once checked. */
export interface AdminBoardSettings {
  host: string;
  port: number;
  token: string;
  /** Believe X-Forwarded-Proto and the last X-Forwarded-For address (one proxy in front). */
  trustProxy: boolean;
}

/**
 * The dashboard's settings, or `undefined` when it is off (ADMIN_PORT unset). A port without a token is a
 * configuration error: the dashboard can retry, clean and add jobs, so it never runs open.
 */
export function adminBoardSettings(config: {
  adminPort: number | undefined;
  adminHost: string;
  adminToken: string | undefined;
  adminTrustProxy: boolean;
}): AdminBoardSettings | undefined {
  if (config.adminPort === undefined) return undefined;
  if (config.adminToken === undefined) {
    throw new ConfigError([`ADMIN_TOKEN is required when ADMIN_PORT is set: ${adminConfigSchema.adminToken.format} (the dashboard never runs without one)`]);
  }
  return { host: config.adminHost, port: config.adminPort, token: config.adminToken, trustProxy: config.adminTrustProxy };
}

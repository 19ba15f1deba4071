import { ConfigError, integerSetting, optionalStringSetting, stringSetting, type Setting } from '../../../../shared/src/index.js';

const MIN_TOKEN_LENGTH = 16;

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
    ...optionalStringSetting({ env: 'ADMIN_TOKEN', doc: `Token of the queue dashboard, at least ${MIN_TOKEN_LENGTH} characters (never logged)` }),
    format: `a string of at least ${MIN_TOKEN_LENGTH} characters`,
    secret: true,
    parse: (raw: string) => {
      if (raw.length < MIN_TOKEN_LENGTH) throw new Error(`a string of at least ${MIN_TOKEN_LENGTH} characters`);
      return raw;
    },
  } as Setting<string | undefined>,
};

/** Where and how the dashboard runs, once checked. */
export interface AdminBoardSettings {
  host: string;
  port: number;
  token: string;
}

/**
 * The dashboard's settings, or `undefined` when it is off (ADMIN_PORT unset). A port without a token is a
 * configuration error: the dashboard can retry, clean and add jobs, so it never runs open.
 */
export function adminBoardSettings(config: { adminPort: number | undefined; adminHost: string; adminToken: string | undefined }): AdminBoardSettings | undefined {
  if (config.adminPort === undefined) return undefined;
  if (config.adminToken === undefined) {
    throw new ConfigError([`ADMIN_TOKEN is required when ADMIN_PORT is set: ${adminConfigSchema.adminToken.format} (the dashboard never runs without one)`]);
  }
  return { host: config.adminHost, port: config.adminPort, token: config.adminToken };
}

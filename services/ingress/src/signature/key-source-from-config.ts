import { readFileSync } from 'node:fs';
import { ConfigError, type Logger } from '../../../../shared/src/index.js';
import { staticKeySource, urlKeySource, type PublicKeySource } from './public-key-source.js';
import { parsePublicKeyUrl, PUBLIC_KEY_URL_RULE } from './public-key-url.js';

/** The key settings of the ingress config. */
export interface KeySettings {
  verifySignatures: boolean;
  publicKeyPem: string | undefined;
  publicKeyFile: string | undefined;
  publicKeyUrl: string | undefined;
}

/**
 * The public key source the settings name, or undefined when verification is off. Exactly one source must be
 * set while verification is on; a key that does not parse, or a key URL that is not https (plain http is allowed
 * for a loopback host only, with a warning), fails the boot, naming the variable.
 */
export function keySourceFromConfig(settings: KeySettings, logger?: Pick<Logger, 'warn'>): PublicKeySource | undefined {
  if (!settings.verifySignatures) return undefined;
  const given = (
    [
      ['DYTE_WEBHOOK_PUBLIC_KEY', settings.publicKeyPem],
      ['DYTE_WEBHOOK_PUBLIC_KEY_FILE', settings.publicKeyFile],
      ['DYTE_WEBHOOK_PUBLIC_KEY_URL', settings.publicKeyUrl],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (given.length !== 1) {
    throw new ConfigError([
      `exactly one of DYTE_WEBHOOK_PUBLIC_KEY, DYTE_WEBHOOK_PUBLIC_KEY_FILE, DYTE_WEBHOOK_PUBLIC_KEY_URL must be set while DYTE_WEBHOOK_VERIFY is true (got ${given.length === 0 ? 'none' : given.map(([name]) => name).join(', ')})`,
    ]);
  }
  const [name, value] = given[0] as readonly [string, string];
  if (name === 'DYTE_WEBHOOK_PUBLIC_KEY_URL') {
    let url;
    try {
      url = parsePublicKeyUrl(value);
    } catch {
      throw new ConfigError([`DYTE_WEBHOOK_PUBLIC_KEY_URL must be ${PUBLIC_KEY_URL_RULE}`]);
    }
    if (url.plainHttp) {
      logger?.warn('DYTE_WEBHOOK_PUBLIC_KEY_URL is plain http (allowed for a loopback host only): use https outside development', { url: url.display });
    }
    return urlKeySource(value);
  }
  let pem = value;
  if (name === 'DYTE_WEBHOOK_PUBLIC_KEY_FILE') {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (error) {
      throw new ConfigError([`DYTE_WEBHOOK_PUBLIC_KEY_FILE must name a readable file (${(error as Error).message})`]);
    }
  }
  try {
    // Environments often carry PEMs with literal "\n".
    return staticKeySource(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new ConfigError([`${name} must be a PEM public key (-----BEGIN PUBLIC KEY-----)`]);
  }
}

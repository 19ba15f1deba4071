/**
 * One configuration key: where it comes from, what it means, what it accepts and its default.
 * A setting without a default is required.
 */
export interface Setting<T> {
  /** The environment variable that sets it. */
  env: string;
  /** One line for the README's configuration table. */
  doc: string;
  /** The rule, in words, quoted in error messages ("an integer from 1 to 65535"). */
  format: string;
  /** Used when the variable is unset or empty; `undefined` makes the setting required unless `optional`. */
  default: T | undefined;
  /** Unset is a valid value (`undefined`). */
  optional?: boolean;
  /** Turns the raw text into a value, or throws an Error whose message is the rule broken. */
  parse(raw: string): T;
  /** Secret values are never printed, not even in error messages. */
  secret?: boolean;
}

type Base<T> = Pick<Setting<T>, 'env' | 'doc'> & { default?: T; secret?: boolean };

/** A non-empty string. */
export function stringSetting(options: Base<string>): Setting<string> {
  return {
    format: 'a non-empty string',
    default: options.default,
    ...options,
    parse: (raw) => raw,
  };
}

/** An optional string: unset means `undefined`. */
export function optionalStringSetting(options: Base<string | undefined>): Setting<string | undefined> {
  return { format: 'a string', ...options, default: options.default, optional: true, parse: (raw) => raw };
}

/** An integer within bounds. */
export function integerSetting(options: Base<number> & { min: number; max: number }): Setting<number> {
  const { min, max, ...rest } = options;
  const format = `an integer from ${min} to ${max}`;
  return {
    format,
    default: rest.default,
    ...rest,
    parse: (raw) => {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) throw new Error(format);
      return value;
    },
  };
}

/** An optional integer within bounds: unset means `undefined`. */
export function optionalIntegerSetting(options: Base<number | undefined> & { min: number; max: number }): Setting<number | undefined> {
  const { default: _default, ...rest } = options;
  return { ...integerSetting(rest), default: undefined, optional: true };
}

/** `true` or `false`. */
export function booleanSetting(options: Base<boolean>): Setting<boolean> {
  return {
    format: 'true or false',
    default: options.default,
    ...options,
    parse: (raw) => {
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new Error('true or false');
    },
  };
}

/** One of a fixed set of words. */
export function enumSetting<const T extends string>(options: Base<T> & { values: readonly T[] }): Setting<T> {
  const { values, ...rest } = options;
  const format = `one of ${values.join(', ')}`;
  return {
    format,
    default: rest.default,
    ...rest,
    parse: (raw) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(format);
      return raw as T;
    },
  };
}

/** A URL with one of the given protocols. */
export function urlSetting(options: Base<string> & { protocols: readonly string[] }): Setting<string> {
  const { protocols, ...rest } = options;
  const format = `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  return {
    format,
    default: rest.default,
    ...rest,
    parse: (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(format);
      }
      if (!protocols.includes(url.protocol)) throw new Error(format);
      return raw.replace(/\/+$/, '');
    },
  };
}

/** A comma-separated list of host:port pairs. */
export function hostPortListSetting(options: Base<string[]>): Setting<string[]> {
  const format = 'a comma-separated list of host:port';
  return {
    format,
    default: options.default,
    ...options,
    parse: (raw) => {
      const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
      const valid = (item: string) => {
        const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(item);
        return match !== null && Number(match[2]) > 0 && Number(match[2]) < 65536;
      };
      if (items.length === 0 || !items.every(valid)) throw new Error(format);
      return items;
    },
  };
}

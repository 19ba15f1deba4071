import ipaddr from 'ipaddr.js';
import { DownloadError } from './download-error.js';

/** What links may point to. */
export interface UrlPolicy {
  /** Exact host names or IPs, or patterns where a `*` label stands for exactly one DNS label (`*.s3.*.amazonaws.com`). */
  allowedHosts: string[];
  allowHttp: boolean;
  /** Addresses that are not public unicast but are allowed anyway (IPs or CIDRs). */
  allowedAddresses: string[];
  /** Ports links may use; empty: the scheme's own (443, or 80 for http when `allowHttp`). */
  allowedPorts: number[];
}

/** Parses DOWNLOAD_ALLOWED_HOSTS / DOWNLOAD_ALLOWED_ADDRESSES style lists. */
export function parseList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Checks DOWNLOAD_ALLOWED_HOSTS at boot; throws naming the item and the rule. A `*` must be a whole label and
 * the last one be followed by at least two fixed labels, so no pattern can admit a whole public suffix (`*.com`).
 */
export function checkHostPatterns(value: string): void {
  for (const pattern of parseList(value)) {
    if (ipaddr.isValid(pattern)) continue;
    const labels = pattern.split('.');
    if (!labels.every((label) => label === '*' || LABEL.test(label))) {
      throw new Error(`a comma-separated list of host names whose labels are letters, digits, - and _, or *; "${pattern}" is not`);
    }
    const fixedAfterLastWildcard = labels.length - 1 - labels.lastIndexOf('*');
    if (labels.includes('*') && fixedAfterLastWildcard < 2) {
      throw new Error(`a list of host patterns that end in at least two fixed DNS labels after their last *; "${pattern}" does not`);
    }
  }
}

/** Whether `host` matches `pattern`: label by label, a `*` label matching any one label. */
function hostMatches(host: string, pattern: string): boolean {
  if (!pattern.includes('*')) return host === pattern;
  const hostLabels = host.split('.');
  const patternLabels = pattern.split('.');
  return (
    hostLabels.length === patternLabels.length &&
    patternLabels.every((label, index) => (label === '*' ? hostLabels[index] !== '' : label === hostLabels[index]))
  );
}

/** Checks DOWNLOAD_ALLOWED_PORTS at boot and turns it into numbers. */
export function parsePorts(value: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  if (!items.every((item) => /^\d{1,5}$/.test(item) && Number(item) >= 1 && Number(item) <= 65535)) {
    throw new Error('a comma-separated list of ports from 1 to 65535');
  }
  return items.map(Number);
}

/** Checks DOWNLOAD_ALLOWED_ADDRESSES at boot; throws naming the item that is not an IP or CIDR. */
export function checkAddressList(value: string): void {
  for (const item of parseList(value)) rangeOf(item);
}

/** One allowed-address item as a range (a bare address is a /32 or /128). */
function rangeOf(item: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [address = '', bits, extra] = item.split('/');
  // IPv4 only as a dotted quad: "127.1" or hex octets are not what an operator means to list.
  const valid = address.includes(':') ? ipaddr.IPv6.isValid(address) : ipaddr.IPv4.isValidFourPartDecimal(address);
  if (valid && extra === undefined) {
    if (bits === undefined) {
      const parsed = ipaddr.parse(address);
      return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
    }
    if (ipaddr.isValidCIDR(item)) return ipaddr.parseCIDR(item);
  }
  throw new Error(`a comma-separated list of IP addresses or CIDRs; "${item}" is not an IP address or CIDR`);
}

/**
 * Parses a job's link or a redirect's Location (relative to `base`). One that does not parse is a final
 * NOT_ALLOWED: no retry can make it parse. It is named without its query, which may hold a signature.
 */
export function parseLink(text: string, what: 'link' | 'redirect Location', base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    const shown = text.split('?')[0]?.slice(0, 200) ?? '';
    throw new DownloadError('NOT_ALLOWED', `the ${what} "${shown}" is not a valid URL`, false, error);
  }
}

/** Checks a URL's scheme, host and port before any connection; throws NOT_ALLOWED naming the rule. */
export function checkUrl(url: URL, policy: UrlPolicy): void {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new DownloadError('NOT_ALLOWED', `link scheme ${url.protocol} is not allowed (https only unless DOWNLOAD_ALLOW_HTTP=true)`, false);
  }
  if (url.username || url.password) throw new DownloadError('NOT_ALLOWED', 'links with credentials are not allowed', false);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!policy.allowedHosts.some((pattern) => hostMatches(host, pattern))) {
    throw new DownloadError('NOT_ALLOWED', `host ${host} is not in DOWNLOAD_ALLOWED_HOSTS`, false);
  }
  // An IP host is judged before its port: a private address is refused as such whatever the port.
  if (ipaddr.isValid(host)) checkAddress(host, policy);
  // Any other port on an allowed host could reach a service that is not the object store (SSH, Redis, an admin UI).
  const schemePort = url.protocol === 'https:' ? 443 : 80;
  const port = Number(url.port || schemePort);
  const ports = policy.allowedPorts.length > 0 ? policy.allowedPorts : [schemePort];
  if (!ports.includes(port)) {
    const rule =
      policy.allowedPorts.length > 0
        ? `DOWNLOAD_ALLOWED_PORTS is ${ports.join(',')}`
        : 'only 443, or 80 for http with DOWNLOAD_ALLOW_HTTP=true, unless DOWNLOAD_ALLOWED_PORTS lists others';
    throw new DownloadError('NOT_ALLOWED', `port ${port} is not allowed (${rule})`, false);
  }
}

// Global unicast IPv6 is all in 2000::/3; ipaddr.js calls everything it has no name for "unicast", including the
// IETF-reserved space outside it (::/8 with the IPv4-compatible ::/96, 4000::/2, ...).
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Checks an address a host resolved to; throws NOT_ALLOWED unless it is public unicast (as ipaddr.js classifies
 * special-purpose ranges: private, loopback, link-local, mapped, NAT64, Teredo, 6to4, documentation, reserved, ...)
 * or listed in DOWNLOAD_ALLOWED_ADDRESSES. An IPv4-mapped address is judged as the IPv4 address it carries.
 */
export function checkAddress(address: string, policy: UrlPolicy): void {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    throw new DownloadError('NOT_ALLOWED', `address ${address} is not an IP address`, false);
  }
  let range: string = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) range = 'reserved';
  if (range === 'unicast') return;
  for (const item of policy.allowedAddresses) {
    const [network, bits] = rangeOf(item);
    if (network.kind() === parsed.kind() && parsed.match(network, bits)) return;
  }
  const shown = parsed.kind() === 'ipv4' && address.includes(':') ? `${address} (${parsed.toString()})` : address;
  throw new DownloadError('NOT_ALLOWED', `address ${shown} is ${range}, not a public unicast address (not in DOWNLOAD_ALLOWED_ADDRESSES)`, false);
}

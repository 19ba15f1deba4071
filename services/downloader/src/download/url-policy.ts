import { BlockList, isIP } from 'node:net';
import { DownloadError } from './download-error.js';

/** What links may point to. */
export interface UrlPolicy {
  /** Exact host names, or `*.domain` for any subdomain of domain. */
  allowedHosts: string[];
  allowHttp: boolean;
  /** Private or loopback addresses allowed anyway (IPs or CIDRs). */
  allowedAddresses: string[];
}

/** Parses DOWNLOAD_ALLOWED_HOSTS / DOWNLOAD_ALLOWED_ADDRESSES style lists. */
export function parseList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}

// Addresses a link must never reach: loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved.
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
}
// Also NAT64 (64:ff9b::/96), 6to4 (2002::/16) and IPv4-compatible (::/96) addresses, which can lead to IPv4 ones.
for (const [net, prefix] of [['::', 96], ['::1', 128], ['64:ff9b::', 96], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');
}

/** Checks a URL's scheme and host before any connection; throws NOT_ALLOWED naming the rule. */
export function checkUrl(url: URL, policy: UrlPolicy): void {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new DownloadError('NOT_ALLOWED', `link scheme ${url.protocol} is not allowed (https only unless DOWNLOAD_ALLOW_HTTP=true)`, false);
  }
  if (url.username || url.password) throw new DownloadError('NOT_ALLOWED', 'links with credentials are not allowed', false);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = policy.allowedHosts.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern,
  );
  if (!allowed) throw new DownloadError('NOT_ALLOWED', `host ${host} is not in DOWNLOAD_ALLOWED_HOSTS`, false);
  if (isIP(host)) checkAddress(host, policy);
}

const allowLists = new WeakMap<UrlPolicy, BlockList>();

function allowListOf(policy: UrlPolicy): BlockList {
  let list = allowLists.get(policy);
  if (!list) {
    list = new BlockList();
    for (const item of policy.allowedAddresses) {
      const [net = '', prefix] = item.split('/');
      const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(net, family);
      else list.addSubnet(net, Number(prefix), family);
    }
    allowLists.set(policy, list);
  }
  return list;
}

/** Checks an address a host resolved to; throws NOT_ALLOWED for private or loopback ones not explicitly allowed. */
export function checkAddress(address: string, policy: UrlPolicy): void {
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return checkAddress(mapped, policy);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)];
    return checkAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, policy);
  }
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (!FORBIDDEN.check(address, family)) return;
  if (allowListOf(policy).check(address, family)) return;
  throw new DownloadError('NOT_ALLOWED', `address ${address} is private or loopback (not in DOWNLOAD_ALLOWED_ADDRESSES)`, false);
}

import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, or undefined. */
function ipv6Groups(address: string): string[] | undefined {
  if (!isIPv6(address)) return undefined;
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
}

/**
 * Who is counted as one client by the login back-off: an IPv4 address (also written IPv4-mapped), or the /64 an
 * IPv6 address is in, since one host usually holds a whole /64 and could change address at every request.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const groups = ipv6Groups(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

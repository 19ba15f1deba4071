/**
 * Whether a fresh link points at the object the old one did: the same origin and path, whatever the query (a
 * presigned link's signature and expiry live in its query). Then the bytes kept are resumed, and `If-Range` with the
 * saved validator still makes the server send the whole file if the object changed; a link to another path starts over.
 */
export function sameObject(oldUrl: string, freshUrl: string): boolean {
  try {
    const before = new URL(oldUrl);
    const after = new URL(freshUrl);
    return before.origin === after.origin && before.pathname === after.pathname;
  } catch {
    return false;
  }
}

/**
 * Wraps an async read so that calls within `ttlMs` of the last result share it, and concurrent calls share one
 * read in flight: scrapes from several Prometheus servers do not multiply the load on Redis or Kafka.
 */
export function cached<T>(read: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let value: { at: number; result: T } | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (value && now() - value.at < ttlMs) return Promise.resolve(value.result);
    inFlight ??= read().then(
      (result) => {
        value = { at: now(), result };
        inFlight = undefined;
        return result;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  };
}

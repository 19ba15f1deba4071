/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms`. The promise's own late outcome is
 * swallowed, so that a result arriving after the deadline never becomes an unhandled rejection.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `condition` until it returns a value other than `undefined`/`false`, or fails after `timeoutMs`
 * with `description` in the message. Tests wait for conditions, never for fixed times.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  /** `description` may be a function, read when the wait times out (e.g. the last log lines by then). */
  options: { timeoutMs?: number; intervalMs?: number; description: string | (() => string) },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const description = typeof options.description === 'function' ? options.description() : options.description;
      throw new Error(`timed out after ${options.timeoutMs ?? 15_000}ms waiting for ${description}${suffix}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

/** `promise`, or a failure naming `description` once `timeoutMs` passed: a step with no deadline of its own. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms waiting for ${description}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

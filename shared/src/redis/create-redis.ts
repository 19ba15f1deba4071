import { Redis } from 'ioredis';

/**
 * An ioredis connection as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait through a
 * Redis restart instead of failing the worker.
 */
export function createRedis(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: options.lazyConnect ?? false });
}

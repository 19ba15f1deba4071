export { createRedis } from './create-redis.js';

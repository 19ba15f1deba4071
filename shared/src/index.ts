export * from './config/index.js';
export * from './errors/index.js';
export * from './kafka/index.js';
export * from './lifecycle/index.js';
export * from './logging/index.js';
export * from './redis/index.js';
export * from './registry/index.js';

import { randomBytes } from 'node:crypto';

/** A name no other test run uses, so tests never see each other's topics, groups or queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

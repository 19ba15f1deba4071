import type { Service } from './run-service.js';

/**
 * Several services run as one: started in order, stopped in reverse order (so a metrics port opened first
 * answers while the rest starts, and closes last). A part that is not started is not stopped.
 */
export function serviceGroup(parts: readonly Service[]): Service {
  const started: Service[] = [];
  return {
    async start() {
      for (const part of parts) {
        started.push(part);
        await part.start();
      }
    },
    async stop() {
      let failure: unknown;
      for (const part of started.splice(0).reverse()) {
        try {
          await part.stop();
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}

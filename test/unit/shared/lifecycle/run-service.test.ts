import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { createLogger, runService, type Service } from '../../../../shared/src/index.js';

/** A stand-in for `process`: signals are emitted by the test, exits are recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    proc: { once: emitter.once.bind(emitter), exit: (code?: number) => void exits.push(code ?? 0) } as unknown as NodeJS.Process,
    emit: (signal: string) => emitter.emit(signal),
    exits,
  };
}

const logger = createLogger({ level: 'error', name: 'test', sink: () => undefined });

describe('runService', () => {
  it('when SIGTERM arrives, then the service is stopped gracefully, its connections closed, and the process exits 0', async () => {
    const fake = fakeProcess();
    const calls: string[] = [];
    let finishStop: () => void = () => undefined;
    const service: Service = {
      start: async () => void calls.push('start'),
      stop: () => new Promise<void>((resolve) => ((finishStop = resolve), calls.push('stop'))),
    };
    await runService(service, { logger, processLike: fake.proc, closeAfterStop: [async () => void calls.push('close redis')] });
    fake.emit('SIGTERM');
    assert.deepEqual(calls, ['start', 'stop']);
    assert.deepEqual(fake.exits, [], 'waits for the graceful stop');
    finishStop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, ['start', 'stop', 'close redis'], 'connections close after the service stopped');
    assert.deepEqual(fake.exits, [0]);
  });

  it('when a second signal arrives during the stop, then the process exits at once', async () => {
    const fake = fakeProcess();
    const service: Service = { start: async () => undefined, stop: () => new Promise<void>(() => undefined) };
    await runService(service, { logger, processLike: fake.proc });
    fake.emit('SIGTERM');
    fake.emit('SIGTERM');
    assert.deepEqual(fake.exits, [130]);
  });

  it('when the stop takes longer than the bound, then the process exits 1', async () => {
    const fake = fakeProcess();
    const service: Service = { start: async () => undefined, stop: () => new Promise<void>(() => undefined) };
    await runService(service, { logger, processLike: fake.proc, stopTimeoutMs: 20 });
    fake.emit('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(fake.exits, [1]);
  });

  it('when the start fails, then the service is stopped and the process exits 1', async () => {
    const fake = fakeProcess();
    const calls: string[] = [];
    const service: Service = { start: async () => Promise.reject(new Error('no broker')), stop: async () => void calls.push('stop') };
    await runService(service, { logger, processLike: fake.proc });
    assert.deepEqual(calls, ['stop']);
    assert.deepEqual(fake.exits, [1]);
  });
});

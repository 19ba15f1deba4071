import { strict as assert } from 'node:assert';
import { serviceGroup } from '../../../../shared/src/index.js';

describe('serviceGroup', () => {
  it('when started and stopped, then parts start in order and stop in reverse; a part never started is not stopped', async () => {
    const calls: string[] = [];
    const part = (name: string, failStart = false) => ({
      start: async () => {
        calls.push(`start ${name}`);
        if (failStart) throw new Error(`${name} failed`);
      },
      stop: async () => void calls.push(`stop ${name}`),
    });
    const group = serviceGroup([part('metrics'), part('app', true), part('admin')]);
    await assert.rejects(group.start(), /app failed/);
    await group.stop();
    assert.deepEqual(calls, ['start metrics', 'start app', 'stop app', 'stop metrics']);
  });
});

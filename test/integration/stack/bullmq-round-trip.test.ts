import { strict as assert } from 'node:assert';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../../../shared/src/index.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('the local stack: BullMQ on Redis', () => {
  it('when a job is added, then a worker processes it and its result is stored', async () => {
    const name = uniqueName('stack-proof');
    // BullMQ leaves connections it was given open: the test owns and closes them.
    const queueConnection = createRedis(testConfig.redisUrl);
    const workerConnection = createRedis(testConfig.redisUrl);
    const queue = new Queue(name, { connection: queueConnection });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection: workerConnection,
    });
    try {
      await worker.waitUntilReady();
      await queue.add('double', { n: 21 }, { jobId: 'artifact-1' });
      const job = await waitFor(async () => {
        const current = await queue.getJob('artifact-1');
        // getJob read the job before isCompleted read its state: read it again, so returnvalue is the stored one.
        return (await current?.isCompleted()) ? queue.getJob('artifact-1') : undefined;
      }, { description: 'job artifact-1 to complete' });
      assert.deepEqual(job.returnvalue, { doubled: 42 });

      // The same job id again is not a second job: that is what makes archive jobs idempotent.
      const duplicate = await queue.add('double', { n: 99 }, { jobId: 'artifact-1' });
      assert.equal(duplicate.id, 'artifact-1');
      assert.equal(await queue.getJobCountByTypes('waiting', 'active', 'delayed'), 0);
      assert.equal(await queue.getJobCountByTypes('completed'), 1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([queueConnection.quit(), workerConnection.quit()]);
    }
  });
});

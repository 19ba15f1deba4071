import { readFileSync } from 'node:fs';
import { archiveJobOptions, createRedis, nextBases, openArchiveQueues, type ArchiveJobData } from '../../shared/src/index.js';

// The dispatcher's ceiling: the same jobs, with the same options, added with bare BullMQ addBulk in chunks, from a
// process pinned like the dispatcher. Reads JOBS_FILE (a JSON array of ArchiveJobData), prints
// {"msg":"done","jobs":N,"seconds":S,"cpuSeconds":C,"startedAt":T0,"endedAt":T1}: only the addBulk calls are timed
// (T0 and T1 in ms since the epoch). With START_AT (ms since the epoch), the calls begin then, so that several
// processes start together.
async function main(): Promise<void> {
  const jobs = JSON.parse(readFileSync(process.env.JOBS_FILE ?? '', 'utf8')) as ArchiveJobData[];
  const chunk = Number(process.env.CHUNK ?? 1000);
  const attempts = Number(process.env.ATTEMPTS ?? 20);
  const connection = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = openArchiveQueues(connection, process.env.QUEUE ?? '');
  const queue = queues.archive;
  await queue.waitUntilReady();
  // The priorities of the dispatcher's scale, with bases of its own: bare addBulk does not keep them in Redis.
  const bases = nextBases(undefined, Date.now());
  const bulk = jobs.map((data) => ({ name: data.artifact.kind, data, opts: archiveJobOptions(data, attempts, bases) }));
  const startAt = Number(process.env.START_AT ?? 0);
  if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  const started = performance.now();
  for (let i = 0; i < bulk.length; i += chunk) await queue.addBulk(bulk.slice(i, i + chunk));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ msg: 'done', jobs: bulk.length, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, startedAt, endedAt: Date.now() }));
  await queues.close();
  await connection.quit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

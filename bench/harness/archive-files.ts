import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveJobOptions, nextBases, type ArchiveJobData } from '../../shared/src/index.js';
import type { DownloaderRig } from './downloader-rig.js';
import type { Check } from './figure.js';
import { runPinnedMeasured } from './pinned-process.js';

/** One repetition of archiving files, by the downloaders or by curl. */
export interface ArchiveRun {
  /** All files' bytes over the wall time from the first start to the last end. */
  mibPerSecond: number;
  seconds: number;
  /** CPU seconds per process (curl: the CPU of all curl + sync runs together). */
  cpu: Record<string, number>;
}

const MIB = 1024 * 1024;

/**
 * Adds one job per id in `recordingIds`, all at once, for the same file at `url`, and waits for every one: the time
 * is from the first job's start to the last job's end as BullMQ recorded them (fetch, SHA-256, fsync, rename and the
 * result record on Kafka). Each job is checked archived whole (size and SHA-256) into `checks`, named after `label`;
 * archived files are deleted.
 */
export async function archiveFiles(
  rig: DownloaderRig,
  url: string,
  file: { sha256: string; bytes: number },
  recordingIds: string[],
  checks: Check[],
  label: string,
): Promise<{ seconds: number; whole: boolean }> {
  const jobs: ArchiveJobData[] = recordingIds.map((recordingId) => ({
    artifact: { jobId: `recording.${recordingId}`, kind: 'recording', organizationId: 'bench-org', meetingId: 'bench-meeting', sessionId: 'bench-session', recordingId },
    url,
    expiresAt: (Date.now() + 3_600_000) * 1000,
    sourceEvent: 'recording.statusUpdate',
    deliveryId: recordingId,
    expectedBytes: file.bytes,
  }));
  await rig.queue.addBulk(jobs.map((data) => ({ name: data.artifact.kind, data, opts: archiveJobOptions(data, 3, nextBases(undefined, Date.now())) })));
  const deadline = Date.now() + 600_000;
  for (;;) {
    const done = await Promise.all(jobs.map((data) => rig.queue.getJob(data.artifact.jobId)));
    if (done.every((job) => job?.finishedOn && job.processedOn)) {
      let whole = true;
      for (const [i, job] of done.entries()) {
        const result = job?.returnvalue as { location: string; bytes: number; sha256: string } | null;
        const ok = result?.bytes === file.bytes && result.sha256 === file.sha256;
        whole &&= ok;
        checks.push({ name: recordingIds.length > 1 ? `${label}: file ${i + 1} archived whole` : `${label}: archived whole`, ok, detail: result ? `${result.bytes} B sha256 ${result.sha256.slice(0, 12)}` : `failed: ${job?.failedReason}` });
        if (result?.location.startsWith('file:')) rmSync(fileURLToPath(result.location), { force: true });
      }
      const started = Math.min(...done.map((job) => job?.processedOn ?? NaN));
      const ended = Math.max(...done.map((job) => job?.finishedOn ?? NaN));
      return { seconds: (ended - started) / 1000, whole };
    }
    if (Date.now() > deadline) throw new Error(`the downloads did not finish in 10 minutes: ${rig.downloader.lines.slice(-5).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The baseline of `archiveFiles`: one `curl -o` + `sync` of the file per CPU in `cpus`, all at once, each pinned to
 * its CPU, into `dir`. The time is from the start to the last one's end; the files are deleted.
 */
export async function curlFiles(cpus: number[], url: string, bytes: number, dir: string, rep: number): Promise<ArchiveRun> {
  const started = process.hrtime.bigint();
  const runs = await Promise.all(
    cpus.map(async (cpu, i) => {
      const target = join(dir, `curl-${rep}-${i}.bin`);
      const run = await runPinnedMeasured(cpu, `curl -sS --fail -o '${target}' '${url}' && sync '${target}'`);
      rmSync(target, { force: true });
      if (run.code !== 0) throw new Error(`curl failed: ${run.output.slice(-300)}`);
      return run;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = runs.reduce((sum, run) => sum + run.cpuSeconds, 0);
  return { mibPerSecond: (cpus.length * bytes) / MIB / seconds, seconds, cpu: { 'curl + sync': Math.round(cpuSeconds * 100) / 100 } };
}

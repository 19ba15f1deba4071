import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveJobOptions, nextBases, type ArchiveJobData } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { runPinnedMeasured } from '../harness/pinned-process.js';
import { meterCpu, watchPeakRss } from '../harness/process-meter.js';
import { startDownloaderRig } from '../harness/downloader-rig.js';
import { summarize } from '../harness/stats.js';
import { randomFile } from '../workloads/random-file.js';

interface Rep {
  mibPerSecond: number;
  seconds: number;
  peakRssBytes: number;
  cpu: Record<string, number>;
}

const MIB = 1024 * 1024;

/**
 * Download: a downloader archiving one big random file from a local HTTP server (page-cached, on the load CPU)
 * into a local archive folder, against curl fetching the same file into the same folder and fsyncing it (the
 * downloader fsyncs before its rename too). The downloader's time is BullMQ's processedOn..finishedOn of the
 * job: fetch, SHA-256, fsync, rename and the result record on Kafka. Its resident memory is sampled every 50 ms.
 */
export async function downloadScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const size = settings.downloadBytes;
  progress(`  preparing a ${size / MIB} MiB random file in ${settings.workDir} (once)`);
  const file = randomFile(settings.workDir, size);
  const rig = await startDownloaderRig(ctx, { name: 'download', serverProgram: 'servers/file-server.ts', serverEnv: { FILE: file.path }, concurrency: 1 });
  const { queue, server, downloader, archiveDir } = rig;
  const checks: Check[] = [];
  try {
    const url = `http://127.0.0.1:${Number((await server.waitFor('listening')).port)}/recordings/bench.mp4`;
    await downloader.waitFor('downloading', 90_000);
    progress(`  downloader on CPU ${placement.subjectCpu} (concurrency 1), file server on CPU ${placement.loadCpu}, archive ${archiveDir}`);

    const downloaderRun = async (rep: number): Promise<Rep> => {
      const recordingId = `bench-${ctx.runId}-${rep}`;
      const data: ArchiveJobData = {
        artifact: { jobId: `recording.${recordingId}`, kind: 'recording', organizationId: 'bench-org', meetingId: 'bench-meeting', sessionId: 'bench-session', recordingId },
        url,
        expiresAt: (Date.now() + 3_600_000) * 1000,
        sourceEvent: 'recording.statusUpdate',
        deliveryId: recordingId,
        expectedBytes: size,
      };
      const rss = watchPeakRss(downloader.pid);
      const meter = meterCpu({ downloader: downloader.pid, 'file server': server.pid });
      await queue.add(data.artifact.kind, data, archiveJobOptions(data, 3, nextBases(undefined, Date.now())));
      const deadline = Date.now() + 600_000;
      for (;;) {
        const job = await queue.getJob(data.artifact.jobId);
        if (job?.finishedOn && job.processedOn) {
          const cpu = meter.stop();
          const peakRssBytes = rss.stop();
          const result = job.returnvalue as { location: string; bytes: number; sha256: string } | null;
          const whole = result?.bytes === size && result.sha256 === file.sha256;
          checks.push({ name: `download rep ${rep}: archived whole`, ok: whole, detail: result ? `${result.bytes} B sha256 ${result.sha256.slice(0, 12)}` : `failed: ${job.failedReason}` });
          if (result?.location.startsWith('file:')) rmSync(fileURLToPath(result.location), { force: true });
          const seconds = (job.finishedOn - job.processedOn) / 1000;
          return { mibPerSecond: whole ? size / MIB / seconds : NaN, seconds, peakRssBytes, cpu };
        }
        if (Date.now() > deadline) throw new Error(`the download did not finish in 10 minutes: ${downloader.lines.slice(-5).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const curlRun = async (rep: number): Promise<Rep> => {
      const target = join(archiveDir, `curl-${rep}.bin`);
      const run = await runPinnedMeasured(placement.subjectCpu, `curl -sS --fail -o '${target}' '${url}' && sync '${target}'`);
      rmSync(target, { force: true });
      if (run.code !== 0) throw new Error(`curl failed: ${run.output.slice(-300)}`);
      return { mibPerSecond: size / MIB / run.wallSeconds, seconds: run.wallSeconds, peakRssBytes: NaN, cpu: { 'curl + sync': Math.round(run.cpuSeconds * 100) / 100 } };
    };
    const runs = await alternate<Rep>(
      [
        { name: 'downloader', run: downloaderRun },
        { name: 'curl', run: curlRun },
      ],
      settings.reps,
      progress,
      { describe: (r) => `${r.mibPerSecond.toFixed(0)} MiB/s (${r.seconds.toFixed(2)} s)${Number.isFinite(r.peakRssBytes) ? `, peak RSS ${(r.peakRssBytes / MIB).toFixed(0)} MiB` : ''} cpu ${JSON.stringify(r.cpu)}` },
    );
    const subject = summarize((runs.downloader ?? []).map((r) => r.mibPerSecond));
    const baseline = summarize((runs.curl ?? []).map((r) => r.mibPerSecond));
    const rss = summarize((runs.downloader ?? []).map((r) => r.peakRssBytes / MIB));
    return {
      name: 'download',
      figures: [
        figure('download', `archiving a ${size / MIB} MiB file`, 'MiB/s', subject, 'curl -o + sync, same disk', baseline, '>= 80% of curl', (ratio) => ratio >= 0.8),
        figure('download', 'peak RSS of the downloader during it', 'MiB', rss, 'limit 150 MiB', null, '< 150 MB', (_r, s) => s.max < 150),
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(runs).map(([name, reps]) => [name, reps.map((r) => r.cpu)])),
      details: { bytes: size, runs },
    };
  } finally {
    await rig.tearDown();
  }
}

import { alternate } from '../harness/alternate.js';
import { archiveFiles, curlFiles } from '../harness/archive-files.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
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
  const { server, downloader, archiveDir } = rig;
  const checks: Check[] = [];
  try {
    const url = `http://127.0.0.1:${Number((await server.waitFor('listening')).port)}/recordings/bench.mp4`;
    await downloader.waitFor('downloading', 90_000);
    progress(`  downloader on CPU ${placement.subjectCpu} (concurrency 1), file server on CPU ${placement.loadCpu}, archive ${archiveDir}`);

    const downloaderRun = async (rep: number): Promise<Rep> => {
      const rss = watchPeakRss(downloader.pid);
      const meter = meterCpu({ downloader: downloader.pid, 'file server': server.pid });
      const { seconds, whole } = await archiveFiles(rig, url, { sha256: file.sha256, bytes: size }, [`bench-${ctx.runId}-${rep}`], checks, `download rep ${rep}`);
      const cpu = meter.stop();
      return { mibPerSecond: whole ? size / MIB / seconds : NaN, seconds, peakRssBytes: rss.stop(), cpu };
    };
    const curlRun = async (rep: number): Promise<Rep> => ({ ...(await curlFiles([placement.subjectCpu], url, size, archiveDir, rep)), peakRssBytes: NaN });
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
    const cpuPerGib = (reps: Rep[] | undefined, process: string) => summarize((reps ?? []).map((r) => (r.cpu[process] ?? NaN) / (size / 1024 ** 3)));
    return {
      name: 'download',
      figures: [
        figure('download', `archiving a ${size / MIB} MiB file`, 'MiB/s', subject, 'curl -o + sync, same disk', baseline, '>= 80% of curl', (ratio) => ratio >= 0.8),
        figure('download', 'peak RSS of the downloader during it', 'MiB', rss, 'limit 150 MiB', null, '< 150 MB', (_r, s) => s.max < 150),
        figure('download', 'CPU per GiB archived (the downloader alone)', 's', cpuPerGib(runs.downloader, 'downloader'), 'curl -o + sync', cpuPerGib(runs.curl, 'curl + sync'), 'informative (lower is better)', () => null),
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(runs).map(([name, reps]) => [name, reps.map((r) => r.cpu)])),
      details: { bytes: size, runs },
    };
  } finally {
    await rig.tearDown();
  }
}

import { alternate } from '../harness/alternate.js';
import { archiveFiles, curlFiles, type ArchiveRun } from '../harness/archive-files.js';
import type { BenchContext } from '../harness/bench-context.js';
import { startDownloaderRig, type DownloaderRig } from '../harness/downloader-rig.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { meterCpu, watchPeakRss } from '../harness/process-meter.js';
import { summarize } from '../harness/stats.js';
import { randomFile } from '../workloads/random-file.js';

interface Rep extends ArchiveRun {
  /** Peak resident memory of the busiest downloader (NaN for curl). */
  peakRssBytes: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * How the downloaders grow with replicas: 1 downloader (subject CPU) archiving one file against 2 downloaders on the
 * same queue (one per CPU, each pinned, concurrency 1) archiving two at once, beside 1 and 2 `curl -o` + `sync`
 * placed the same way, all alternated in one run, every file the download scenario's random file. Each figure is
 * all files' bytes over the span from the first start to the last end. On a 2-CPU machine the second replica shares
 * its CPU with the file server (one for all), the runner and the stack, and both write to the one disk, so the
 * 2-replica figures are a lower bound of what a second core gives; CPU per GiB is the figure placement distorts least.
 */
export async function downloadScaleScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const size = settings.downloadBytes;
  const cpus = [placement.subjectCpu, placement.loadCpu];
  progress(`  preparing a ${size / MIB} MiB random file in ${settings.workDir} (once)`);
  const file = randomFile(settings.workDir, size);
  const rigs: DownloaderRig[] = [];
  const checks: Check[] = [];
  try {
    // A rig per fleet size, each on its own queue, so the single downloader never shares its job with a second one.
    const rigOf = async (name: string, rigCpus: number[]) => {
      const rig = await startDownloaderRig(ctx, { name, serverProgram: 'servers/file-server.ts', serverEnv: { FILE: file.path }, concurrency: 1, cpus: rigCpus });
      rigs.push(rig);
      const url = `http://127.0.0.1:${Number((await rig.server.waitFor('listening')).port)}/recordings/bench.mp4`;
      for (const downloader of rig.downloaders) await downloader.waitFor('downloading', 90_000);
      return { rig, url };
    };
    const one = await rigOf('download-x1', cpus.slice(0, 1));
    const two = await rigOf('download-x2', cpus);
    progress(`  downloaders on CPU ${cpus.join(' and ')} (concurrency 1 each), their file server on CPU ${placement.loadCpu}`);

    const downloadersRun = (name: string, { rig, url }: { rig: DownloaderRig; url: string }) => async (rep: number): Promise<Rep> => {
      const rss = rig.downloaders.map((d) => watchPeakRss(d.pid));
      const meter = meterCpu({ ...Object.fromEntries(rig.downloaders.map((d, i) => [`downloader ${i + 1}`, d.pid])), 'file server': rig.server.pid });
      const ids = rig.downloaders.map((_d, i) => `bench-${ctx.runId}-${name}-${rep}-${i}`);
      const { seconds, whole } = await archiveFiles(rig, url, { sha256: file.sha256, bytes: size }, ids, checks, `${name} rep ${rep}`);
      const cpu = meter.stop();
      const downloaderCpu = rig.downloaders.map((_d, i) => cpu[`downloader ${i + 1}`] ?? NaN);
      // Both replicas must have worked: one file each, not one replica taking both in turn.
      if (rig.downloaders.length > 1) {
        const share = Math.min(...downloaderCpu) / downloaderCpu.reduce((a, b) => a + b, 0);
        checks.push({ name: `${name} rep ${rep}: every replica fetched a file`, ok: share > 0.25, detail: `CPU s by replica ${downloaderCpu.join(', ')}` });
      }
      cpu.downloaders = Math.round(downloaderCpu.reduce((a, b) => a + b, 0) * 100) / 100;
      return { mibPerSecond: whole ? (ids.length * size) / MIB / seconds : NaN, seconds, cpu, peakRssBytes: Math.max(...rss.map((r) => r.stop())) };
    };
    const curlRun = (count: number) => async (rep: number): Promise<Rep> => ({
      ...(await curlFiles(cpus.slice(0, count), one.url, size, one.rig.archiveDir, rep)),
      peakRssBytes: NaN,
    });
    const runs = await alternate<Rep>(
      [
        { name: 'downloader x1', run: downloadersRun('download x1', one) },
        { name: 'downloader x2', run: downloadersRun('download x2', two) },
        { name: 'curl + sync x1', run: curlRun(1) },
        { name: 'curl + sync x2', run: curlRun(2) },
      ],
      settings.reps,
      progress,
      {
        describe: (r) =>
          `${r.mibPerSecond.toFixed(0)} MiB/s (${r.seconds.toFixed(2)} s)${Number.isFinite(r.peakRssBytes) ? `, peak RSS ${(r.peakRssBytes / MIB).toFixed(0)} MiB` : ''} cpu ${JSON.stringify(r.cpu)}`,
      },
    );
    const rate = (name: string) => summarize((runs[name] ?? []).map((r) => r.mibPerSecond));
    const files = (name: string) => (name.endsWith('x2') ? 2 : 1);
    const cpuPerGib = (name: string, process: string) => summarize((runs[name] ?? []).map((r) => (r.cpu[process] ?? NaN) / ((files(name) * size) / GIB)));
    const rss = summarize((runs['downloader x2'] ?? []).map((r) => r.peakRssBytes / MIB));
    return {
      name: 'download-scale',
      figures: [
        figure('download-scale', 'MiB/s archived, 2 downloaders (one per CPU) vs 1', 'MiB/s', rate('downloader x2'), 'downloader x1', rate('downloader x1'), 'informative (the second shares its CPU with the load)', () => null),
        figure('download-scale', 'MiB/s, curl + sync 2 at once vs 1', 'MiB/s', rate('curl + sync x2'), 'curl + sync x1', rate('curl + sync x1'), 'informative (the same placement)', () => null),
        figure('download-scale', 'MiB/s, 2 downloaders vs 2 curl + sync', 'MiB/s', rate('downloader x2'), 'curl + sync x2', rate('curl + sync x2'), 'informative', () => null),
        figure('download-scale', 'CPU per GiB, 2 downloaders vs 1', 's', cpuPerGib('downloader x2', 'downloaders'), 'downloader x1', cpuPerGib('downloader x1', 'downloaders'), 'informative (lower is better)', () => null),
        figure('download-scale', 'CPU per GiB, 2 downloaders vs 2 curl + sync', 's', cpuPerGib('downloader x2', 'downloaders'), 'curl + sync x2', cpuPerGib('curl + sync x2', 'curl + sync'), 'informative (lower is better)', () => null),
        figure('download-scale', 'peak RSS of each of 2 downloaders', 'MiB', rss, 'limit 150 MiB', null, '< 150 MB', (_r, s) => s.max < 150),
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(runs).map(([name, reps]) => [name, reps.map((r) => r.cpu)])),
      details: { bytes: size, cpus, runs },
    };
  } finally {
    for (const rig of rigs) await rig.tearDown();
  }
}

import { readFileSync } from 'node:fs';

// Linux reports utime and stime in clock ticks; 100 per second on every kernel this runs on (getconf CLK_TCK).
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a live process has used so far; 0 when it is gone. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident memory of a live process now, in bytes; 0 when it is gone. */
export function rssBytesOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Samples a process's resident memory every `intervalMs` until stopped; returns the peak seen. */
export function watchPeakRss(pid: number | undefined, intervalMs = 50): { stop(): number } {
  let peak = rssBytesOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytesOf(pid))), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytesOf(pid));
    },
  };
}

/** CPU seconds of several processes between `start()` and `stop()`; this process is measured as `runner`. */
export function meterCpu(pids: Record<string, number | undefined>): { stop(): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const runnerBefore = process.cpuUsage();
  return {
    stop() {
      const used: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const delta = cpuSecondsOf(pid) - (before[name] ?? 0);
        // A process that exited (or was restarted) meanwhile cannot be measured: say so rather than go negative.
        used[name] = delta >= 0 ? round(delta) : NaN;
      }
      const runner = process.cpuUsage(runnerBefore);
      used.runner = round((runner.user + runner.system) / 1e6);
      return used;
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

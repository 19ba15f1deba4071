import { spawn, type ChildProcess } from 'node:child_process';

/** A child process pinned to a CPU, with its output lines kept. */
export interface PinnedProcess {
  child: ChildProcess;
  /** The process's own pid (taskset execs the command, so it is the command's pid). */
  pid: number;
  lines: string[];
  /** Waits for a JSON log line whose `msg` is `message` (or a plain line containing it). */
  waitFor(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

/** Starts `command args` under `taskset -c cpu` with `env` added to this process's environment. */
export function startPinned(cpu: number, command: string, args: string[], env: Record<string, string> = {}, cwd?: string): PinnedProcess {
  const child = spawn('taskset', ['-c', String(cpu), command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  const collect = (data: Buffer) => {
    buffer += data.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) if (line) lines.push(line);
    // Only the recent lines are needed; a long run must not grow memory without bound.
    if (lines.length > 2000) lines.splice(0, lines.length - 1000);
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const find = (message: string) => {
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === message) return parsed;
      } catch {
        if (line.includes(message)) return { line };
      }
    }
    return undefined;
  };
  return {
    child,
    pid: child.pid ?? 0,
    lines,
    exited,
    async waitFor(message, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(message);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}) before "${message}": ${lines.slice(-5).join(' | ')}`);
        if (Date.now() > deadline) throw new Error(`${command} did not log "${message}" within ${timeoutMs} ms: ${lines.slice(-5).join(' | ')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs `command` pinned to `cpu` through bash and returns its output and the CPU seconds it and its children used. */
export async function runPinnedMeasured(
  cpu: number,
  script: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string; cpuSeconds: number; wallSeconds: number }> {
  // bash's `times` prints the children's user and system time after they exit: the CPU of a short-lived tool.
  const started = process.hrtime.bigint();
  const proc = startPinned(cpu, 'bash', ['-c', `${script}\nrc=$?\necho __TIMES__\ntimes\nexit $rc`], env);
  const code = await proc.exited;
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = proc.lines.join('\n');
  // The second line after the marker holds the children's user and system time.
  const times = /__TIMES__\n[^\n]*\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s/.exec(output);
  const cpuSeconds = times ? Number(times[1]) * 60 + Number(times[2]) + Number(times[3]) * 60 + Number(times[4]) : NaN;
  return { code, output, cpuSeconds, wallSeconds };
}

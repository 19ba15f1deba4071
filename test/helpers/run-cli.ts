import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

const root = join(__dirname, '..', '..');

/** What a finished CLI run printed, and its exit code. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI still running (tail follows), with its output so far. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits until stderr matches `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until stdout holds `lines` lines. */
  waitForLines(lines: number, timeoutMs?: number): Promise<string[]>;
  /** The exit code once it ended. */
  exited: Promise<number | null>;
}

/** Starts `dyte-bridge ARGS` as a user would (bin/dyte-bridge), with `env` added to the test's environment. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(join(root, 'bin', 'dyte-bridge'), args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () => stdout.split('\n').filter(Boolean);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (pattern, timeoutMs = 30_000) =>
      waitFor(() => pattern.test(stderr), { timeoutMs, description: `CLI stderr to match ${pattern} (stderr: ${stderr.slice(-500)})` }).then(() => undefined),
    waitForLines: (count, timeoutMs = 30_000) =>
      waitFor(() => (lines().length >= count ? lines() : undefined), {
        timeoutMs,
        description: `${count} lines from the CLI (stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)})`,
      }),
  };
}

/** Runs `dyte-bridge ARGS` to its end. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const cli = startCli(args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

/**
 * A server of the test's own (a Redis, a Kafka broker) in a child process with a data folder of its own: the test may
 * pause it, kill it and start it again on the same data. Shared servers are never touched.
 */
export abstract class ThrowawayServer {
  protected child: ChildProcess | undefined;
  protected dir = '';

  /** Starts the server (on its data, kept from an earlier start) and resolves once it answers. */
  abstract start(): Promise<void>;

  /** SIGSTOP: the server keeps its connections but answers nothing (a server that hangs), until `resume`. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause`: it answers again, the same connections included. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** kill -9 (paused or not), waiting for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  /** kill -9, then start again on the same data. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** kill -9 and remove its data. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

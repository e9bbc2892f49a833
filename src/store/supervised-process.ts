import type { ChildProcess } from "node:child_process";

/**
 * Keeps one child process running: when it exits without being asked to, it is launched again after a
 * backoff that grows while it keeps dying (1 s, 2 s, 4 s … up to 30 s) and starts over once a launch has
 * stayed up a minute. The embedded database runs under it, so a killed FerretDB comes back on its own
 * port and data while the app, which sees the database down meanwhile, reconnects to it.
 */

export type SupervisionEvent =
  | { kind: "exited"; code: number | null; signal: NodeJS.Signals | null; restartInMs: number }
  | { kind: "restarted"; pid: number | undefined; downForMs: number }
  | { kind: "restart-failed"; error: unknown; restartInMs: number };

export interface SupervisorOptions {
  /** Starts the child; resolves once it serves (for a database: listens), rejects if it cannot. */
  launch(): Promise<ChildProcess>;
  /** Stops the child for good (SIGTERM, then SIGKILL). */
  stop(child: ChildProcess): Promise<void>;
  onEvent?: ((event: SupervisionEvent) => void) | undefined;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

const STABLE_AFTER_MS = 60_000;

export class SupervisedProcess {
  private stopping = false;
  private up = true;
  private failures = 0;
  private startedAt = Date.now();
  private downSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private relaunching: Promise<void> | undefined;

  private constructor(
    private child: ChildProcess,
    private readonly options: SupervisorOptions,
  ) {
    this.watch(child);
  }

  static async start(options: SupervisorOptions): Promise<SupervisedProcess> {
    return new SupervisedProcess(await options.launch(), options);
  }

  /** False from the child's unexpected exit until a relaunch serves again. */
  get isUp(): boolean {
    return this.up;
  }

  get pid(): number | undefined {
    return this.up ? this.child.pid : undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.relaunching;
    await this.options.stop(this.child);
  }

  private watch(child: ChildProcess): void {
    child.once("exit", (code, signal) => {
      if (this.stopping || child !== this.child) return;
      this.up = false;
      this.downSince = Date.now();
      if (Date.now() - this.startedAt >= STABLE_AFTER_MS) this.failures = 0;
      this.scheduleRelaunch((restartInMs) => ({ kind: "exited", code, signal, restartInMs }));
    });
  }

  private scheduleRelaunch(event: (restartInMs: number) => SupervisionEvent): void {
    const first = this.options.firstBackoffMs ?? 1_000;
    const delay = Math.min(this.options.maxBackoffMs ?? 30_000, first * 2 ** this.failures);
    this.failures += 1;
    this.options.onEvent?.(event(delay));
    this.timer = setTimeout(() => {
      this.relaunching = this.relaunch().finally(() => {
        this.relaunching = undefined;
      });
    }, delay);
  }

  private async relaunch(): Promise<void> {
    if (this.stopping) return;
    try {
      this.child = await this.options.launch();
    } catch (error) {
      if (!this.stopping)
        this.scheduleRelaunch((restartInMs) => ({ kind: "restart-failed", error, restartInMs }));
      return;
    }
    this.watch(this.child);
    this.startedAt = Date.now();
    this.up = true;
    this.options.onEvent?.({
      kind: "restarted",
      pid: this.child.pid,
      downForMs: Date.now() - this.downSince,
    });
  }
}

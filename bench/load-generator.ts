import { type ChildProcess, fork } from "node:child_process";
import { type BenchApp, type Cleanup, WEBHOOK_SECRET } from "./harness.ts";
import type { Burst, LoadResult, Stream } from "./load-client.ts";
import type { Timed } from "./stats.ts";

/**
 * The forked load generator (bench/load-client.ts), one load at a time: what sends and times the requests
 * runs in a process of its own, so its CPU is not counted against the app it measures.
 */
export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  static start(cleanup: Cleanup): LoadGenerator {
    const child = fork("bench/load-client.ts", [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    cleanup.add("the load generator", async () => {
      if (child.exitCode === null) child.kill();
    });
    return new LoadGenerator(child);
  }

  /** Slack requests sent all at once; their latencies, ascending. */
  async burst(burst: Omit<Burst, "kind">): Promise<number[]> {
    return (await this.run({ kind: "burst", ...burst })).latencies;
  }

  /** Generic alerts POSTed to the app's real webhook, `concurrency` at a time, each answered 202. */
  alerts(app: Pick<BenchApp, "url">, alerts: readonly Record<string, unknown>[], concurrency: number) {
    return this.run({
      kind: "stream",
      url: `${app.url}/webhooks/alerts/generic`,
      headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
      bodies: alerts.map((alert) => JSON.stringify(alert)),
      concurrency,
      status: 202,
    });
  }

  /** The sender's process, whose CPU the intake diagnosis reads beside the app's. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  stop(): void {
    this.child.kill();
  }

  private run(load: Burst | Stream): Promise<Timed> {
    return new Promise((done, fail) => {
      const exited = () => fail(new Error("the load generator exited"));
      this.child.once("exit", exited);
      this.child.once("message", (result: LoadResult) => {
        this.child.off("exit", exited);
        if (result.ok) done(result.timed);
        else fail(new Error(`the load failed: ${result.error}`));
      });
      this.child.send(load);
    });
  }
}

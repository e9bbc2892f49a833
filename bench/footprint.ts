import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Cleanup } from "./harness.ts";
import { BUILT_APP, childPids, FLOOR_APP, freePort, rssMb, spawnApp } from "./processes.ts";
import { ms, type Row, times } from "./report.ts";
import { percentile } from "./stats.ts";

/**
 * Footprint: `node dist/main.js` (what `npm start` runs once built) with the embedded database and no
 * MONGODB_URI, timed from spawn to `/readyz` answering 200, then its resident memory after a few idle
 * seconds; the bare Bolt floor the same way (to its `/healthz`), alternately, a few times each.
 */

const STARTS = 3;
const IDLE_MS = 3_000;

interface Start {
  readyMs: number;
  rssMb: number;
  /** The embedded database's processes (the app's children). */
  databaseRssMb?: number;
}

export interface FootprintSetup {
  /** Slack settings: the fake Slack, so `/readyz`'s token check passes. */
  slackEnv: Record<string, string>;
}

async function startOnce(setup: FootprintSetup, which: "app" | "floor"): Promise<Start> {
  const cleanup = new Cleanup();
  const dataDir = await mkdtemp(join(tmpdir(), "firebreak-bench-footprint-"));
  cleanup.add("the footprint data folder", () => rm(dataDir, { recursive: true, force: true }));
  try {
    const child = await spawnApp(cleanup, {
      name: `footprint-${which}`,
      args: which === "app" ? BUILT_APP : FLOOR_APP,
      env: { ...setup.slackEnv, NODE_ENV: "production", DATA_DIR: dataDir, MONGODB_URI: "" },
      port: await freePort(),
      readyPath: which === "app" ? "/readyz" : "/healthz",
    });
    await sleep(IDLE_MS);
    const rss = (await rssMb(child.pid)) ?? Number.NaN;
    if (which === "floor") return { readyMs: child.readyMs, rssMb: rss };
    const children = await childPids(child.pid);
    const databaseRss = (await Promise.all(children.map(rssMb))).reduce<number>((a, b) => a + (b ?? 0), 0);
    return { readyMs: child.readyMs, rssMb: rss, databaseRssMb: databaseRss };
  } finally {
    await cleanup.run();
  }
}

export async function measureFootprint(setup: FootprintSetup): Promise<Row[]> {
  const app: Start[] = [];
  const floor: Start[] = [];
  for (let i = 0; i < STARTS; i++) {
    floor.push(await startOnce(setup, "floor"));
    app.push(await startOnce(setup, "app"));
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const ready = { app: sorted(app.map((s) => s.readyMs)), floor: sorted(floor.map((s) => s.readyMs)) };
  const rss = { app: sorted(app.map((s) => s.rssMb)), floor: sorted(floor.map((s) => s.rssMb)) };
  const database = sorted(app.map((s) => s.databaseRssMb ?? Number.NaN));
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  return [
    {
      benchmark: `footprint: node dist/main.js → /readyz 200, embedded database, ×${STARTS}`,
      median: ms(percentile(ready.app, 50)),
      p99: ms(ready.app.at(-1) ?? Number.NaN),
      floor: `${ms(percentile(ready.floor, 50))} (bare Bolt → listening)`,
      ratio: times(percentile(ready.app, 50) / percentile(ready.floor, 50)),
      target: "reported",
      met: undefined,
      data: { readyMs: ready },
    },
    {
      benchmark: `footprint: idle RSS ${IDLE_MS / 1000} s after ready`,
      median: `${mb(percentile(rss.app, 50))} (+ database ${mb(percentile(database, 50))})`,
      p99: mb(rss.app.at(-1) ?? Number.NaN),
      floor: `${mb(percentile(rss.floor, 50))} (bare Bolt)`,
      ratio: times(percentile(rss.app, 50) / percentile(rss.floor, 50)),
      target: "reported",
      met: undefined,
      data: { rssMb: rss, databaseRssMb: database },
    },
  ];
}

import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, runFirebreak as run, waitForLog } from "./support/app-process.ts";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack/server.ts";

describe("the firebreak process", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("exits 1 naming each missing Slack variable when none is set", async () => {
    const { exited } = run({});
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/SLACK_BOT_TOKEN is required\..*OAuth & Permissions/);
    expect(stderr).toMatch(/SLACK_SIGNING_SECRET is required in HTTP mode/);
  });

  describe("with Slack variables and no MONGODB_URI", () => {
    let slack: FakeSlack;
    let dataDir: string;
    beforeAll(async () => {
      slack = await startFakeSlack();
      dataDir = await mkdtemp(join(tmpdir(), "firebreak-main-"));
    });
    afterAll(async () => {
      await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("starts embedded FerretDB under DATA_DIR, logs where, serves health and stops cleanly on SIGTERM", async () => {
      const { child, exited, output } = run({
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: "secret",
        SLACK_API_URL: slack.apiUrl,
        PORT: "0",
        DATA_DIR: dataDir,
      });
      try {
        const dbLine = JSON.parse(await waitForLog(output, /"database: embedded/, 30_000));
        expect(dbLine).toMatchObject({
          database: "ferretdb",
          data: expect.stringContaining(join(dataDir, "ferretdb")),
        });
        const listening = JSON.parse(await waitForLog(output, /Firebreak is listening/, 10_000));
        expect(await readdir(join(dataDir, "ferretdb"))).toContain("firebreak.sqlite");
        const health = await fetch(`http://127.0.0.1:${listening.port}/healthz`);
        expect(health.status).toBe(200);
        const started = Date.now();
        child.kill("SIGTERM");
        const { code, stdout } = await exited;
        expect(code).toBe(0);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(stdout).toMatch(/stopped cleanly/);
        // Secrets never reach the logs.
        expect(stdout).not.toContain(slack.botToken);
        expect(stdout).not.toContain('secret"');
      } finally {
        child.kill("SIGKILL");
      }
    });
  });
});

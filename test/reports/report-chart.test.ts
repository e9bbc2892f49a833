import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it } from "vitest";
import { PNG_SIZE } from "../../src/charts/response-times.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import type { FakeSlack } from "../support/fake-slack/server.ts";
import { MIN, seedIncident } from "../support/report-seeds.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// End to end over the real database and the fake Slack: the daily report's chart is drawn from the
// roll-ups the store's write paths keep, and shared with Slack's three-call upload after the report.
// UPDATE_DOCS_IMAGES=1 writes the PNG it renders to docs/images/ (the picture in README).

const REPORTS = "C0REPORTS";
const ENV = {
  REPORT_CHANNEL: REPORTS,
  REPORT_TIMEZONE: "UTC",
  REPORT_WEEKLY_CRON: "off",
  REPORT_MONTHLY_CRON: "off",
};
/** A Sunday noon: the last daily report (Friday 09:00) is more than 12 hours old, so start-up posts none. */
const SUNDAY_NOON = "2026-11-08T12:00:00Z";
const REPORT_AT = "2026-11-23T09:00:00Z";
/** The chart's MTTA line colour (src/charts/response-times.ts). */
const MTTA_BLUE = { r: 0x12, g: 0x64, b: 0xa3 };

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
});

async function start(): Promise<TestApp> {
  const t = await startTestApp({ clock: new TestClock(SUNDAY_NOON), env: ENV });
  apps.push(t);
  t.slack.addChannel({ id: REPORTS, name: "reports", members: [t.slack.state.bot.user_id] });
  await t.firebreak.poller.stop();
  return t;
}

/** Runs poller passes until the queued Slack work is done. */
async function deliver(t: TestApp): Promise<void> {
  await deliverQueued(t, 20);
}

/**
 * A month of incidents, one declared each day at 13:00 from 26 Oct to 22 Nov (every sixth day quiet),
 * acknowledged and resolved the same day, so each counts on the chart's day ending the next morning at 09:00.
 */
async function seedMonth(t: TestApp): Promise<void> {
  const severities = ["sev1", "sev2", "sev3", "sev4"] as const;
  for (let i = 0; i < 28; i++) {
    if (i % 6 === 5) continue;
    await seedIncident(
      t.firebreak.store.models,
      `i${i}`,
      {
        severity: severities[i % 4] ?? "sev2",
        title: `Incident ${i}`,
        declaredAt: new Date(Date.parse("2026-10-26T13:00:00Z") + i * 86_400_000),
      },
      { ackAfter: 4 + ((i * 5) % 17), resolveAfter: 40 + ((i * 23) % 200) },
    );
  }
}

const sharedFiles = (slack: FakeSlack) =>
  (slack.state.messages[REPORTS] ?? []).filter((m) => (m.files ?? []).length > 0);

describe("the report chart", () => {
  it("is a PNG of MTTA and MTTR per day, shared after the daily report through the three-call upload", async () => {
    const t = await start();
    await seedMonth(t);
    t.clock.set(REPORT_AT);
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);

    // The report's message first, then the upload: a URL, the bytes sent to it, then the share.
    const sequence = t.slack.calls
      .map((c) => c.method)
      .filter((m) => m === "chat.postMessage" || m.startsWith("files."));
    expect(sequence).toEqual([
      "chat.postMessage",
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
    ]);
    const [shared] = sharedFiles(t.slack);
    const file = t.slack.state.files[shared?.files?.[0]?.id ?? ""];
    expect(file).toMatchObject({ name: "mtta-mttr-2026-11-23.png", completed: true });
    expect(file?.shares).toEqual([{ channel: REPORTS, ts: shared?.ts }]);
    const bytes = file?.content ?? Buffer.alloc(0);
    if (process.env.UPDATE_DOCS_IMAGES) writeFileSync("docs/images/report-chart.png", bytes);

    // A real PNG of the expected size, not blank: many pixels drawn, the MTTA line among them.
    const png = PNG.sync.read(bytes);
    expect({ width: png.width, height: png.height }).toEqual({ width: 1800, height: 900 });
    expect(PNG_SIZE).toEqual({ width: 1800, height: 900 });
    let drawn = 0;
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r = 0, g = 0, b = 0] = png.data.subarray(i, i + 3);
      if (r < 235 || g < 235 || b < 235) drawn++;
      if (Math.abs(r - MTTA_BLUE.r) + Math.abs(g - MTTA_BLUE.g) + Math.abs(b - MTTA_BLUE.b) < 30) blue++;
    }
    // The title is set in the font shipped in node_modules (resvg loads no system font): without it, the
    // title's box at the top left would stay white.
    let titleInk = 0;
    for (let y = 25; y < 70; y++)
      for (let x = 40; x < 600; x++) if ((png.data[(y * png.width + x) * 4] ?? 255) < 100) titleInk++;
    expect(titleInk).toBeGreaterThan(2_000);
    const pixels = png.width * png.height;
    expect(drawn / pixels).toBeGreaterThan(0.01);
    expect(drawn / pixels).toBeLessThan(0.5);
    expect(blue).toBeGreaterThan(500);

    // The same figures in words: the message that shares the chart, and the alt text.
    // First day i = 0: 4 and 40 min. Last, i = 27: 4 + 135 mod 17 = 20 min, 40 + 621 mod 200 = 61 min.
    // i = 5 (31 Oct) was quiet: no 1 Nov line. 24 days in all, between the heading and the closing line.
    const lines = shared?.text?.split("\n") ?? [];
    expect(lines[0]).toBe(
      "MTTA (declared → acknowledged) and MTTR (declared → resolved) per day, 25 Oct to 23 Nov. Response targets: SEV1 5 min · SEV2 15 min · SEV3 1 h · SEV4 4 h.",
    );
    expect(lines[1]).toBe("27 Oct: MTTA 4 min, MTTR 40 min");
    expect(lines).toContain("31 Oct: MTTA 7 min, MTTR 2 h 12 min"); // i = 4: 4 + 20 mod 17, 40 + 92
    expect(lines.some((line) => line.startsWith("1 Nov"))).toBe(false);
    expect(lines.at(-2)).toBe("23 Nov: MTTA 20 min, MTTR 1 h 1 min");
    expect(lines.at(-1)).toBe("Days not listed had no incident acknowledged or resolved.");
    expect(lines).toHaveLength(24 + 2);
    const altText = String(t.slack.callsTo("files.getUploadURLExternal")[0]?.args.alt_text);
    expect(altText).toContain(
      "MTTA on 24 of 30 days, from 4 min to 20 min; MTTR on 24 of 30 days, from 40 min",
    );
  });

  it("is uploaded once when Slack fails the share and the upload is retried, and never by a repeated trigger", async () => {
    const t = await start();
    await seedMonth(t);
    t.clock.set(REPORT_AT);
    t.slack.failNext("files.completeUploadExternal", { error: "internal_error" });
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);

    expect(t.slack.callsTo("files.completeUploadExternal").map((c) => c.ok)).toEqual([false, true]);
    expect(t.slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok)).toHaveLength(1);
    expect(sharedFiles(t.slack)).toHaveLength(1);

    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "already_posted" });
    t.clock.advance(MIN);
    await deliver(t);
    expect(sharedFiles(t.slack)).toHaveLength(1);
  });

  it("is not posted when the 30 days hold nothing to draw", async () => {
    const t = await start();
    t.clock.set(REPORT_AT);
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);
    expect(t.slack.callsTo("files.getUploadURLExternal")).toHaveLength(0);
    expect(t.slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok)).toHaveLength(1);
  });
});

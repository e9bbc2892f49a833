import { afterAll, beforeAll, it } from "vitest";
import { type HostileApp, startHostileApp } from "./hostile-app.ts";

let app: HostileApp;
beforeAll(async () => {
  app = await startHostileApp();
});
afterAll(() => app.t.stop());
it("probes", async () => {
  const { t } = app;
  const cases: Record<string, unknown>[] = [
    {
      type: "reaction_added",
      user: 5,
      reaction: "pushpin",
      item: { type: "message", channel: 3, ts: "1.1" },
    },
    { type: "reaction_added", user: "U1", reaction: "pushpin", item: null },
    { type: "reaction_added", user: "U1", reaction: "pushpin", item: 7 },
    { type: "message", subtype: "message_changed", channel: { a: 1 }, ts: "1.1" },
    { type: "message", subtype: "message_changed", channel: ["C1"], ts: 5 },
    { type: "message", channel: null, ts: null, event_ts: null },
    { type: "app_home_opened", user: null, tab: "home" },
    { type: 5, user: "U1" },
    { type: "reaction_added", channel: 5 },
    { type: "message", subtype: "x", channel: "C1", thread_ts: 5, ts: {} },
  ];
  for (const event of cases) {
    const r = await t.send.event(event);
    console.log("PROBE", r.status, JSON.stringify(event));
  }
  await app.watched.idle();
  console.log("PROBE failures", app.watched.failures.map(String));
  console.log(
    "PROBE logs",
    t.logs
      .filter((l) => Number(l.level) >= 40)
      .map((l) => `${l.msg} ${JSON.stringify(l.err ?? "").slice(0, 200)}`)
      .join("\n"),
  );
});

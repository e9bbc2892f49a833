import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alice,
  BATCH,
  expectCleanOutput,
  GENERAL,
  mallory,
  mark,
  RUNS,
  useHostileApp,
} from "./hostile-app.ts";
import { hostileText, inParallel } from "./hostile-support.ts";

/** Each manifest command with its sub-commands (and a few that do not exist). */
const COMMANDS: Record<string, string[]> = {
  "/incident": [
    "",
    "declare",
    "declare --drill",
    "declare --type",
    "update",
    "severity",
    "role",
    "ack",
    "note",
    "status",
    "list",
    "resolve",
    "reopen",
    "timeline",
    "report",
    "postmortem",
    "postmortem done",
    "followup add",
    "followup list",
    "followup done",
    "runbook",
    "subscribers add",
    "subscribers remove",
    "subscribers list",
    "help",
    "DECLARE",
    "unknown",
  ],
  "/oncall": ["", "help", "create", "override", "show", "primary", "list"],
  "/change": [
    "",
    "help",
    "request",
    "list",
    "show",
    "approve",
    "reject",
    "schedule",
    "start",
    "complete",
    "fail",
  ],
  "/maint": [
    "",
    "help",
    "list",
    "schedule",
    "schedule security",
    "start",
    "start checkout",
    "start checkout -30m",
    "start checkout 0m",
  ],
};

const app = useHostileApp();

describe.each(Object.keys(COMMANDS))("%s with hostile text", (command) => {
  it(`answers ${BATCH * RUNS} malformed commands in words, without leaks, crashes or pings`, async () => {
    const { t } = app;
    const input = fc.record({
      sub: fc.constantFrom(...(COMMANDS[command] ?? [])),
      text: hostileText,
      user: fc.constantFrom(alice, mallory),
      channelId: fc.constantFrom(GENERAL, app.incidentChannel, "D0MALLORY", "C0NOWHERE"),
    });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const from = mark(app);
        const responses = await inParallel(batch, BATCH, (one) =>
          t.send.slashCommand({
            command,
            text: `${one.sub} ${one.text}`.slice(0, 12_000),
            user: one.user,
            channelId: one.channelId,
            responseUrl: t.slack.responseUrl(),
            triggerId: t.slack.newTriggerId(one.user.id),
          }),
        );
        sent += batch.length;
        expect(responses.map((r) => r.status)).toEqual(batch.map(() => 200));
        await expectCleanOutput(
          app,
          from,
          responses.map((r) => r.text),
        );
      }),
      { numRuns: RUNS },
    );
    expect(sent).toBe(BATCH * RUNS);
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_SUBCOMMANDS } from "../../src/domain/incident-commands.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

interface AckBody {
  response_type: string;
  text: string;
  blocks: unknown[];
}

describe("/incident help through the real HTTP receiver", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  const incident = (text: string) =>
    t.send.slashCommand({
      command: "/incident",
      text,
      responseUrl: t.slack.responseUrl(),
      triggerId: t.slack.newTriggerId(),
    });

  it("answers ephemerally in the ack with every sub-command, each with its usage", async () => {
    const callsBefore = t.slack.calls.length;
    const response = await incident("help");
    expect(response.status).toBe(200);
    const body = response.body as AckBody;
    expect(body.response_type).toBe("ephemeral");
    for (const sub of INCIDENT_SUBCOMMANDS) expect(body.text).toContain(`/incident ${sub.usage}`);
    expect(body.text).not.toMatch(/coming/);
    assertValidSurface({ kind: "message", text: body.text, blocks: body.blocks });
    // Help needs no Web API call: the answer rides on the ack (Bolt may verify its token once, lazily).
    expect(t.slack.calls.slice(callsBefore).filter((c) => c.method !== "auth.test")).toEqual([]);
    expect(t.slack.responses).toEqual([]);
  });

  it("answers an empty /incident with help", async () => {
    const body = (await incident("")).body as AckBody;
    expect(body.text).toMatch(/^Here is what `\/incident` can do:/);
  });

  it("answers an unknown sub-command with help that names it, escaped", async () => {
    const body = (await incident("<!channel> now")).body as AckBody;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^I don't know `&lt;!channel&gt;`/);
    expect(JSON.stringify(body.blocks)).not.toContain("<!channel>");
  });

  it("rejects a tampered signature and a stale timestamp with 401, without answering", async () => {
    const args = {
      command: "/incident",
      text: "help",
      responseUrl: t.slack.responseUrl(),
      triggerId: t.slack.newTriggerId(),
    };
    const tampered = await t.send.slashCommand(args, { tamper: true });
    const stale = await t.send.slashCommand(args, { ageSeconds: 6 * 60 });
    expect([tampered.status, stale.status]).toEqual([401, 401]);
    expect(tampered.text).not.toContain("/incident");
  });

  it("only ever called auth.test on Slack's Web API", () => {
    expect(new Set(t.slack.calls.map((c) => c.method))).toEqual(new Set(["auth.test"]));
  });
});

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { respond } from "../../src/slack/respond.ts";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

// The answer to the person who asked: on the response_url (node:http, kept-alive connections), else by DM.
describe("respond", () => {
  const slack = useFakeSlack();
  const logger = createLogger("silent", new Writable({ write: (_chunk, _encoding, done) => done() }));
  const user = "U0RESPOND";

  it("posts the answer on the response_url, many at once on shared connections", async () => {
    const url = slack.fake.responseUrl("respond-ok");
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        respond(
          slack.client(),
          logger,
          { userId: user, responseUrl: url },
          { text: `answer ${i}` },
          {
            replaceOriginal: true,
          },
        ),
      ),
    );
    expect(outcomes.every((o) => o.status === "done")).toBe(true);
    const bodies = slack.fake.responses.filter((r) => r.id === "respond-ok").map((r) => r.body);
    expect(bodies).toHaveLength(40);
    expect(bodies).toContainEqual({ response_type: "ephemeral", replace_original: true, text: "answer 7" });
    expect(slack.fake.callsToChannel("chat.postMessage", user)).toHaveLength(0);
  });

  it("sends a direct message when the response_url refuses or cannot be reached", async () => {
    const refused = `${slack.fake.url}/response/never-handed-out`;
    const unreachable = "http://127.0.0.1:1/response/gone";
    for (const responseUrl of [refused, unreachable])
      await respond(slack.client(), logger, { userId: user, responseUrl }, { text: "told anyway" });
    const direct = slack.fake.callsToChannel("chat.postMessage", user);
    expect(direct.map((c) => c.args.text)).toEqual(["told anyway", "told anyway"]);
  });
});

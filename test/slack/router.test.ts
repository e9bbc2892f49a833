import { App, MultipleListenerError } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { ListenerRouter } from "../../src/slack/router.ts";

/** A Bolt app that never calls Slack: authorization answers at once. */
function boltApp(): App {
  return new App({
    authorize: async () => ({ botToken: "xoxb-test" }),
    signingSecret: "secret",
    tokenVerificationEnabled: false,
  });
}

const listenerCount = (app: App) => (app as unknown as { listeners: unknown[] }).listeners.length;

async function deliver(app: App, body: Record<string, unknown>): Promise<unknown[]> {
  const acks: unknown[] = [];
  await app.processEvent({ body, ack: async (response) => void acks.push(response ?? "ack") });
  return acks;
}

const command = (name: string) => ({
  command: name,
  text: "",
  team_id: "T1",
  user_id: "U1",
  channel_id: "C1",
  response_url: "https://hooks.example/x",
  trigger_id: "t",
});
const click = (actionId: string) => ({
  type: "block_actions",
  team: { id: "T1" },
  user: { id: "U1" },
  actions: [{ type: "button", action_id: actionId, block_id: "b", action_ts: "1" }],
});
const submission = (callbackId: string) => ({
  type: "view_submission",
  team: { id: "T1" },
  user: { id: "U1" },
  view: { id: "V1", callback_id: callbackId, state: { values: {} } },
});
const shortcut = (callbackId: string) => ({
  type: "shortcut",
  team: { id: "T1" },
  user: { id: "U1" },
  callback_id: callbackId,
  trigger_id: "t",
});

describe("the listener router", () => {
  it("runs only the listeners registered for the request's id, one Bolt listener per kind", async () => {
    const app = boltApp();
    const routed = new ListenerRouter().routing(app);
    const ran: string[] = [];
    for (const name of ["/a", "/b"])
      routed.command(name, async ({ ack }) => {
        ran.push(name);
        await ack();
      });
    for (const id of ["x", "y"])
      routed.action(id, async ({ ack }) => {
        ran.push(id);
        await ack();
      });
    routed.view("v", async ({ ack }) => {
      ran.push("v");
      await ack();
    });
    routed.shortcut("s", async ({ ack }) => {
      ran.push("s");
      await ack();
    });
    expect(listenerCount(app)).toBe(4);

    await deliver(app, command("/b"));
    await deliver(app, click("x"));
    await deliver(app, submission("v"));
    await deliver(app, { ...submission("v"), type: "view_closed" });
    await deliver(app, shortcut("s"));
    await deliver(app, command("/unknown"));
    expect(ran).toEqual(["/b", "x", "v", "s"]);
  });

  it("runs a listener's own middleware first, and passes other constraints on to Bolt as they are", async () => {
    const app = boltApp();
    const routed = new ListenerRouter().routing(app);
    const ran: string[] = [];
    routed.action(
      "x",
      async ({ next }) => {
        ran.push("middleware");
        await next();
      },
      async ({ ack }) => {
        ran.push("listener");
        await ack();
      },
    );
    routed.action({ action_id: /^re-/ }, async ({ ack }) => {
      ran.push("regexp");
      await ack();
    });
    expect(listenerCount(app)).toBe(2);
    await deliver(app, click("x"));
    await deliver(app, click("re-1"));
    expect(ran).toEqual(["middleware", "listener", "regexp"]);
  });

  it("runs every listener of one id, and reports their failures as Bolt does", async () => {
    const app = boltApp();
    const errors: unknown[] = [];
    app.error(async (error) => void errors.push(error));
    const routed = new ListenerRouter().routing(app);
    const ran: string[] = [];
    routed.command("/a", async () => {
      ran.push("first");
      throw new Error("one");
    });
    routed.command("/a", async () => {
      ran.push("second");
      throw new Error("two");
    });
    await deliver(app, command("/a"));
    expect(ran).toEqual(["first", "second"]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as { original?: unknown }).original ?? errors[0]).toBeInstanceOf(MultipleListenerError);
  });
});

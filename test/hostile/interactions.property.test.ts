import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALERT_ACTIONS,
  CHANGE_ACTIONS,
  CHANGE_VIEWS,
  INCIDENT_ACTIONS,
  INCIDENT_VIEWS,
} from "../../src/slack/ids.ts";
import { DECLARE_FROM_MESSAGE_SHORTCUT, DECLARE_SHORTCUT } from "../../src/slack/shortcuts/declare.ts";
import { CHANGE_BLOCKS } from "../../src/slack/views/change-modal.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { HOME_DECLARE_ACTION } from "../../src/slack/views/home.ts";
import { MAINT_ACTIONS } from "../../src/slack/views/maintenance.ts";
import { MAINT_BLOCKS, MAINT_VIEW } from "../../src/slack/views/maintenance-modal.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { TEAM } from "../support/slack-driver.ts";
import {
  alice,
  BATCH,
  expectCleanOutput,
  expectNothingWritten,
  GENERAL,
  mallory,
  mark,
  RUNS,
  useHostileApp,
} from "./hostile-app.ts";
import { countDocuments, hostileText, hostileWord, inParallel, longText } from "./hostile-support.ts";

const TIMEOUT = 180_000;

const app = useHostileApp();

const KNOWN_ACTIONS = [
  ...Object.values(INCIDENT_ACTIONS),
  ...Object.values(ALERT_ACTIONS),
  ...Object.values(CHANGE_ACTIONS),
  ...Object.values(MAINT_ACTIONS),
  HOME_DECLARE_ACTION,
  "runbook_check:1",
];
const KNOWN_VIEWS = [...Object.values(INCIDENT_VIEWS), CHANGE_VIEWS.request, MAINT_VIEW];

const user = fc.constantFrom(alice, mallory);
/** An id that looks like a database id but names nothing, or the real incident's id, tampered. */
const forgedId = () =>
  fc.oneof(
    fc.stringMatching(/^[0-9a-f]{24}$/).filter((id) => id !== app.incidentId),
    fc.integer({ min: 0, max: 23 }).map((at) => {
      const id = app.incidentId;
      const swapped = id[at] === "0" ? "1" : "0";
      return `${id.slice(0, at)}${swapped}${id.slice(at + 1)}`;
    }),
    fc.constantFrom(`${app.incidentId} `, `${app.incidentId}x`, `{"$ne":null}`),
  );
/** Anything a tampered payload could put where a string belongs. */
const wrongTyped = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);
const tamperedValue = () => fc.oneof(forgedId(), hostileText, longText, wrongTyped, fc.constant(undefined));

const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** Runs the property over batches of BATCH concurrent inputs; checks output and that nothing was written. */
async function hostileBatches<T>(
  input: fc.Arbitrary<T>,
  send: (one: T) => Promise<{ status: number; text: string }>,
  expectStatus: (status: number, one: T, body: string) => void,
) {
  let sent = 0;
  // Counted once around the whole run: counting every collection per batch would double its cost.
  const before = await countDocuments(app.t);
  await fc.assert(
    fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const from = mark(app);
      const responses = await inParallel(batch, BATCH, send);
      sent += batch.length;
      for (const [index, response] of responses.entries())
        expectStatus(response.status, batch[index] as T, response.text);
      await expectCleanOutput(
        app,
        from,
        responses.map((r) => r.text),
      );
    }),
    { numRuns: RUNS },
  );
  await expectNothingWritten(app, before);
  expect(sent).toBe(BATCH * RUNS);
}

describe("hostile interactive payloads", () => {
  // Found by the property below: End now and Extend echoed the button's value (the window id) unescaped.
  it("answers a forged maintenance window id without echoing it, so it pings nobody", async () => {
    const { t } = app;
    for (const actionId of [MAINT_ACTIONS.endEarly, MAINT_ACTIONS.extend]) {
      const responseId = `forged-window-${actionId}`;
      await t.send.interaction({
        type: "block_actions",
        user: { id: mallory.id, username: mallory.name, name: mallory.name, team_id: TEAM.id },
        trigger_id: t.slack.newTriggerId(mallory.id),
        container: { type: "message", message_ts: "1.000001", channel_id: GENERAL },
        channel: { id: GENERAL, name: "general" },
        message: { type: "message", ts: "1.000001", text: "", blocks: [] },
        response_url: t.slack.responseUrl(responseId),
        actions: [
          {
            type: "button",
            action_id: actionId,
            block_id: "actions",
            value: "<!here> MW-1",
            action_ts: "1.1",
          },
        ],
      });
      await app.watched.idle();
      const answer = t.slack.responses.find((r) => r.id === responseId)?.body as
        | { text?: string }
        | undefined;
      // No window has that id: the answer says so without echoing the forged value.
      expect(answer?.text).toBe("That maintenance window no longer exists.");
    }
  });

  it(
    `answers ${BATCH * RUNS} block_actions with unknown ids and forged or tampered values, writing nothing`,
    async () => {
      const { t } = app;
      const input = fc.record({
        user,
        actionId: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...KNOWN_ACTIONS) },
          { weight: 1, arbitrary: hostileWord },
          {
            weight: 1,
            arbitrary: fc.constantFrom("incident_acknowledge_", "INCIDENT_RESOLVE", "runbook_check", ""),
          },
        ),
        blockId: fc.oneof(fc.constant(undefined), hostileWord, fc.constant(`runbook|${"f".repeat(24)}|x|y`)),
        elementType: fc.constantFrom("button", "checkboxes", "static_select", "overflow"),
        value: tamperedValue(),
        inMessage: fc.boolean(),
        responseUrl: fc.constantFrom("fake", "none", "unreachable"),
      });
      await hostileBatches(
        input,
        (one) => {
          const action = withoutUndefined({
            type: one.elementType,
            action_id: one.actionId,
            block_id: one.blockId ?? "actions",
            value: one.value,
            selected_options: one.elementType === "checkboxes" ? [{ value: one.value }] : undefined,
            selected_option: one.elementType === "static_select" ? { value: one.value } : undefined,
            action_ts: `${Date.now() / 1000}`,
          });
          const responseUrl =
            one.responseUrl === "fake"
              ? t.slack.responseUrl()
              : one.responseUrl === "unreachable"
                ? "http://127.0.0.1:9/nowhere"
                : undefined;
          return t.send.interaction(
            withoutUndefined({
              type: "block_actions",
              user: { id: one.user.id, username: one.user.name, name: one.user.name, team_id: TEAM.id },
              trigger_id: t.slack.newTriggerId(one.user.id),
              container: one.inMessage
                ? { type: "message", message_ts: "1.000001", channel_id: GENERAL }
                : { type: "view", view_id: "V0FORGED" },
              channel: one.inMessage ? { id: GENERAL, name: "general" } : undefined,
              message: one.inMessage ? { type: "message", ts: "1.000001", text: "", blocks: [] } : undefined,
              response_url: responseUrl,
              actions: [action],
            }),
          );
        },
        (status) => expect(status).toBe(200),
      );
    },
    TIMEOUT,
  );
});

/** Every input block of every form, and the fields no form has. */
const FORM_BLOCKS = [
  ...Object.values(DECLARE_BLOCKS),
  ...Object.values(CHANGE_BLOCKS),
  ...Object.values(MAINT_BLOCKS),
  ...Object.values(UPDATE_BLOCKS),
  ...Object.values(RESOLVE_BLOCKS),
  "severity",
  "role",
  "role_user",
  "__proto__",
  "constructor",
];

/** Whatever an element's state could hold, right-typed or not. */
const elementState = fc.oneof(
  hostileText.map((value) => ({ type: "plain_text_input", value })),
  longText.map((value) => ({ type: "plain_text_input", value })),
  wrongTyped.map((value) => ({ type: "plain_text_input", value })),
  hostileWord.map((value) => ({ type: "static_select", selected_option: { value } })),
  fc.constant({ type: "static_select", selected_option: null }),
  hostileWord.map((user) => ({ type: "users_select", selected_user: user })),
  fc.array(hostileWord, { maxLength: 3 }).map((values) => ({
    type: "checkboxes",
    selected_options: values.map((value) => ({ value })),
  })),
  fc.integer().map((at) => ({ type: "datetimepicker", selected_date_time: at })),
  wrongTyped,
);

/** A form's state: random blocks, each with a random element state, sometimes wrongly nested. */
const formValues = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FORM_BLOCKS), elementState, { maxKeys: 8 }) },
  { weight: 1, arbitrary: wrongTyped },
);

/**
 * Each form's required choice, always broken, so no submission is complete: a declare form without a real
 * severity, a change or window without a real type. The incident forms are refused by their forged metadata.
 */
const BROKEN_CHOICE = {
  [DECLARE_BLOCKS.severity]: { type: "static_select", selected_option: { value: "sev0" } },
  [CHANGE_BLOCKS.type]: { type: "static_select", selected_option: { value: "yolo" } },
  [MAINT_BLOCKS.type]: { type: "static_select", selected_option: null },
};

describe("hostile form submissions, shortcuts and events", () => {
  it(
    `answers ${BATCH * RUNS} view_submissions with missing, wrong-typed or oversized fields, writing nothing`,
    async () => {
      const { t } = app;
      const metadata = fc.oneof(
        hostileText,
        longText,
        fc
          .record({ incidentId: forgedId(), reply: fc.record({ userId: hostileWord }) })
          .map((m) => JSON.stringify(m)),
        fc.constant(
          JSON.stringify({ incidentId: "x", reply: { userId: "U0MALLORY", responseUrl: "javascript:x" } }),
        ),
        fc.constant(""),
      );
      const input = fc.record({
        user,
        callbackId: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...KNOWN_VIEWS) },
          { weight: 1, arbitrary: hostileWord },
        ),
        values: formValues,
        metadata,
        type: fc.constantFrom("view_submission", "view_submission", "view_submission", "view_closed"),
      });
      await hostileBatches(
        input,
        (one) =>
          t.send.interaction({
            type: one.type,
            user: { id: one.user.id, username: one.user.name, name: one.user.name, team_id: TEAM.id },
            trigger_id: t.slack.newTriggerId(one.user.id),
            view: {
              id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
              type: "modal",
              callback_id: one.callbackId,
              private_metadata: one.metadata,
              hash: "1",
              state: {
                values:
                  one.values && typeof one.values === "object" && !Array.isArray(one.values)
                    ? { ...one.values, ...BROKEN_CHOICE }
                    : one.values,
              },
            },
            response_urls: [],
          }),
        (status) => expect(status).toBe(200),
      );
    },
    TIMEOUT,
  );

  it(
    `answers ${BATCH * RUNS} shortcuts with unknown callback ids and malformed messages`,
    async () => {
      const { t } = app;
      const input = fc.record({
        user,
        type: fc.constantFrom("shortcut", "message_action"),
        callbackId: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(DECLARE_SHORTCUT, DECLARE_FROM_MESSAGE_SHORTCUT) },
          { weight: 1, arbitrary: hostileWord },
        ),
        text: fc.oneof(hostileText, longText, fc.constant(undefined)),
        ts: fc.oneof(
          fc.constantFrom("1.000001", "", "not-a-ts", "-1", "99999999999999999999.1"),
          hostileWord,
        ),
      });
      await hostileBatches(
        input,
        (one) => {
          const person = { id: one.user.id, username: one.user.name, name: one.user.name, team_id: TEAM.id };
          const common = {
            callback_id: one.callbackId,
            trigger_id: t.slack.newTriggerId(one.user.id),
            user: person,
          };
          return t.send.interaction(
            one.type === "shortcut"
              ? { type: "shortcut", ...common, action_ts: "1.1" }
              : {
                  type: "message_action",
                  ...common,
                  response_url: t.slack.responseUrl(),
                  channel: { id: GENERAL, name: "general" },
                  message: withoutUndefined({ type: "message", ts: one.ts, user: "U0EVIL", text: one.text }),
                  message_ts: one.ts,
                  action_ts: "1.1",
                },
          );
        },
        (status) => expect(status).toBe(200),
      );
    },
    TIMEOUT,
  );

  it(
    `takes ${BATCH * RUNS} events of unexpected shapes without failing or writing anything`,
    async () => {
      const { t } = app;
      const channel = fc.oneof(
        fc.constant(app.incidentChannel),
        fc.constantFrom(GENERAL, "C0NOWHERE"),
        hostileWord,
        wrongTyped,
      );
      const ts = fc.oneof(fc.constantFrom("1.000001", "0", "-1", "1e99"), hostileWord, wrongTyped);
      const event = fc.oneof(
        fc.record({
          type: fc.constantFrom("reaction_added", "reaction_removed"),
          user: fc.oneof(hostileWord, wrongTyped),
          reaction: fc.oneof(fc.constant("pushpin"), hostileWord),
          item: fc.oneof(
            fc.record({ type: fc.oneof(fc.constant("message"), hostileWord), channel, ts }),
            wrongTyped,
          ),
          item_user: hostileWord,
          event_ts: ts,
        }),
        fc.record({
          type: fc.constant("message"),
          subtype: fc.oneof(
            fc.constantFrom("message_changed", "message_deleted", "bot_message"),
            hostileWord,
          ),
          channel,
          ts,
          deleted_ts: ts,
          event_ts: ts,
          message: fc.oneof(fc.record({ ts, text: hostileText, user: hostileWord }), wrongTyped),
          previous_message: fc.oneof(fc.record({ ts, text: hostileText, user: hostileWord }), wrongTyped),
        }),
        fc.record({
          type: fc.constant("app_home_opened"),
          user: fc.oneof(fc.constantFrom(alice.id, mallory.id), hostileWord, wrongTyped),
          tab: fc.oneof(fc.constantFrom("home", "messages"), hostileWord, wrongTyped),
          channel: hostileWord,
        }),
        fc.record({ type: hostileWord, user: hostileWord, channel }),
        fc
          .dictionary(fc.string({ maxLength: 10 }), fc.oneof(hostileWord, wrongTyped), { maxKeys: 5 })
          .map((fields) => ({
            ...fields,
            type: "reaction_added",
          })),
      );
      await hostileBatches(
        fc.record({ event }),
        (one) => t.send.event(one.event as Record<string, unknown>),
        // Bolt itself cannot take some shapes apart (a reaction without an item): refused, with a reason.
        (status, _one, body) => {
          expect([200, 400]).toContain(status);
          if (status === 400)
            expect(body).toMatch(/^\{"error":"Firebreak could not read this request \(ref [A-Z2-9]{6}\)"\}$/);
        },
      );
    },
    TIMEOUT,
  );
});

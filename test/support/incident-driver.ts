import { eventually } from "./eventually.ts";
import type { View } from "./fake-slack/state.ts";
import { type Actor, type StateValue, viewSubmission } from "./slack-payloads.ts";
import type { TestApp } from "./test-app.ts";

let sequence = 0;

/**
 * Drives Firebreak the way people do (slash commands, forms, clicks) through the real receiver, and reads
 * back what they would see: the ephemeral answers on the command's response_url and the modals opened.
 */
export class IncidentDriver {
  constructor(private readonly t: TestApp) {}

  /** Sends `/incident <text>` as `user` in `channelId`; returns ids to find its answers and its modal. */
  async incident(user: Actor, text: string, channelId = "C0GENERAL") {
    const responseId = `cmd-${++sequence}`;
    const triggerId = this.t.slack.newTriggerId(user.id);
    const response = await this.t.send.slashCommand({
      command: "/incident",
      text,
      user,
      channelId,
      responseUrl: this.t.slack.responseUrl(responseId),
      triggerId,
    });
    if (response.status !== 200) throw new Error(`/incident ${text} answered HTTP ${response.status}`);
    return { responseId, triggerId, ack: response.body };
  }

  /** The newest answer on a response_url whose text matches, once it arrives. */
  answer(
    responseId: string,
    pattern: RegExp = /./,
  ): Promise<{ text: string; body: Record<string, unknown> }> {
    return eventually(() => {
      const found = this.t.slack.responses
        .filter((r) => r.id === responseId)
        .map((r) => r.body as Record<string, unknown>)
        .reverse()
        .find((body) => pattern.test(String(body.text ?? "")));
      return found && { text: String(found.text), body: found };
    }, `an answer matching ${pattern} on ${responseId}`);
  }

  /** The modal the app opened with this trigger_id, as the fake Slack stores it. */
  async modalOpenedBy(triggerId: string): Promise<View> {
    const call = await eventually(
      () => this.t.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId && c.ok),
      `a modal opened with ${triggerId}`,
    );
    const callbackId = (call.args.view as { callback_id?: string }).callback_id;
    const views = Object.values(this.t.slack.state.views).filter((v) => v.callback_id === callbackId);
    const view = views.at(-1);
    if (!view) throw new Error(`views.open succeeded but the fake has no ${callbackId} view`);
    return view;
  }

  /** Submits a modal as Slack does; returns the HTTP answer (errors or a pushed view come back in it). */
  async submit(user: Actor, view: View, values: Record<string, Record<string, StateValue>>) {
    return this.t.send.interaction(
      viewSubmission({
        user,
        viewId: view.id,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values,
        triggerId: this.t.slack.newTriggerId(user.id),
      }),
    );
  }
}

export const text = (value: string): StateValue => ({ type: "plain_text_input", value });
export const option = (value: string): StateValue => ({ type: "static_select", selected_option: { value } });
export const user = (id: string): StateValue => ({ type: "users_select", selected_user: id });
export const checked = (...values: string[]): StateValue => ({
  type: "checkboxes",
  selected_options: values.map((value) => ({ value })),
});

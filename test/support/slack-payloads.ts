import { TEAM } from "./slack-driver.ts";

/**
 * Builders for Slack's real interactive and event payloads, shaped as Slack documents them, so tests send
 * what Slack sends. Pass the result to `SlackDriver.interaction` (interactivity) or `SlackDriver.event`.
 */

export interface Actor {
  id: string;
  name?: string;
}

const userOf = (actor: Actor) => ({
  id: actor.id,
  username: actor.name ?? actor.id,
  name: actor.name ?? actor.id,
  team_id: TEAM.id,
});

export interface BlockActionInput {
  user: Actor;
  actionId: string;
  blockId?: string;
  value?: string;
  /** Where the clicked button lives: a message (with its ts) or a view. */
  message?: { channelId: string; ts: string; text?: string; blocks?: unknown[] };
  view?: { id: string; callbackId?: string; privateMetadata?: string };
  triggerId: string;
  responseUrl?: string;
}

export function blockActions(input: BlockActionInput): Record<string, unknown> {
  const action = {
    type: "button",
    action_id: input.actionId,
    block_id: input.blockId ?? "actions",
    text: { type: "plain_text", text: input.actionId },
    value: input.value,
    action_ts: `${Date.now() / 1000}`,
  };
  const container = input.message
    ? {
        type: "message",
        message_ts: input.message.ts,
        channel_id: input.message.channelId,
        is_ephemeral: false,
      }
    : { type: "view", view_id: input.view?.id };
  return {
    type: "block_actions",
    user: userOf(input.user),
    trigger_id: input.triggerId,
    container,
    ...(input.message && {
      channel: { id: input.message.channelId, name: input.message.channelId },
      message: {
        type: "message",
        ts: input.message.ts,
        text: input.message.text ?? "",
        blocks: input.message.blocks ?? [],
      },
      response_url: input.responseUrl,
    }),
    ...(input.view && {
      view: {
        id: input.view.id,
        type: "modal",
        callback_id: input.view.callbackId ?? "",
        private_metadata: input.view.privateMetadata ?? "",
        state: { values: {} },
      },
    }),
    actions: [action],
  };
}

/** One input's value in `view.state.values[blockId][actionId]`, in the shape its element type produces. */
export type StateValue =
  | { type: "plain_text_input"; value: string | null }
  | {
      type: "static_select";
      selected_option: { value: string; text?: { type: "plain_text"; text: string } } | null;
    }
  | { type: "users_select"; selected_user: string | null }
  | { type: "multi_users_select"; selected_users: string[] }
  | { type: "checkboxes"; selected_options: { value: string }[] }
  | { type: "datetimepicker"; selected_date_time: number | null };

export interface ViewSubmissionInput {
  user: Actor;
  viewId: string;
  callbackId: string;
  values: Record<string, Record<string, StateValue>>;
  privateMetadata?: string;
  triggerId: string;
  hash?: string;
}

export function viewSubmission(input: ViewSubmissionInput): Record<string, unknown> {
  return {
    type: "view_submission",
    user: userOf(input.user),
    trigger_id: input.triggerId,
    view: {
      id: input.viewId,
      type: "modal",
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? "",
      hash: input.hash ?? "1",
      state: { values: input.values },
    },
    response_urls: [],
  };
}

export function globalShortcut(input: {
  user: Actor;
  callbackId: string;
  triggerId: string;
}): Record<string, unknown> {
  return {
    type: "shortcut",
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    user: userOf(input.user),
    action_ts: `${Date.now() / 1000}`,
  };
}

export function messageShortcut(input: {
  user: Actor;
  callbackId: string;
  triggerId: string;
  responseUrl: string;
  channelId: string;
  message: { ts: string; user: string; text: string };
}): Record<string, unknown> {
  return {
    type: "message_action",
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    user: userOf(input.user),
    channel: { id: input.channelId, name: input.channelId },
    message: { type: "message", ...input.message },
    message_ts: input.message.ts,
    action_ts: `${Date.now() / 1000}`,
  };
}

export function reactionAdded(input: {
  user: string;
  reaction: string;
  channelId: string;
  ts: string;
  itemUser: string;
  eventTs?: string;
}): Record<string, unknown> {
  return {
    type: "reaction_added",
    user: input.user,
    reaction: input.reaction,
    item_user: input.itemUser,
    item: { type: "message", channel: input.channelId, ts: input.ts },
    event_ts: input.eventTs ?? `${Date.now() / 1000}`,
  };
}

export function reactionRemoved(input: Parameters<typeof reactionAdded>[0]): Record<string, unknown> {
  return { ...reactionAdded(input), type: "reaction_removed" };
}

/** An edit, as the `message` event with subtype `message_changed` carries it. */
export function messageChanged(input: {
  channelId: string;
  ts: string;
  user: string;
  previousText: string;
  text: string;
}): Record<string, unknown> {
  const eventTs = `${Date.now() / 1000}`;
  return {
    type: "message",
    subtype: "message_changed",
    channel: input.channelId,
    channel_type: "channel",
    hidden: true,
    ts: eventTs,
    event_ts: eventTs,
    message: {
      type: "message",
      user: input.user,
      text: input.text,
      ts: input.ts,
      edited: { user: input.user, ts: eventTs },
    },
    previous_message: { type: "message", user: input.user, text: input.previousText, ts: input.ts },
  };
}

export function messageDeleted(input: {
  channelId: string;
  ts: string;
  user: string;
  previousText: string;
}): Record<string, unknown> {
  const eventTs = `${Date.now() / 1000}`;
  return {
    type: "message",
    subtype: "message_deleted",
    channel: input.channelId,
    channel_type: "channel",
    hidden: true,
    deleted_ts: input.ts,
    ts: eventTs,
    event_ts: eventTs,
    previous_message: { type: "message", user: input.user, text: input.previousText, ts: input.ts },
  };
}

export function memberJoinedChannel(input: {
  user: string;
  channelId: string;
  inviter?: string;
}): Record<string, unknown> {
  return {
    type: "member_joined_channel",
    user: input.user,
    channel: input.channelId,
    channel_type: "C",
    team: TEAM.id,
    inviter: input.inviter,
    event_ts: `${Date.now() / 1000}`,
  };
}

export function appHomeOpened(input: { user: string; tab?: "home" | "messages" }): Record<string, unknown> {
  return {
    type: "app_home_opened",
    user: input.user,
    channel: `D${input.user.slice(1)}`,
    tab: input.tab ?? "home",
    event_ts: `${Date.now() / 1000}`,
  };
}

/**
 * State of the fake Slack workspace: plain objects a test can read directly, plus the id, ts and clock
 * helpers the method handlers share.
 */
import { randomBytes } from "node:crypto";

export interface Workspace {
  id: string;
  name: string;
  domain: string;
}

export interface User {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  tz: string;
  tz_offset: number;
  profile: { email?: string; real_name: string; display_name: string; bot_id?: string };
}

export interface BotIdentity {
  user_id: string;
  bot_id: string;
  app_id: string;
  name: string;
}

export interface UserGroup {
  id: string;
  team_id: string;
  is_usergroup: true;
  handle: string;
  name: string;
  description: string;
  users: string[];
  date_create: number;
  /** Non-zero when the group is disabled, as Slack reports it. */
  date_delete: number;
}

export interface TopicOrPurpose {
  value: string;
  creator: string;
  last_set: number;
}

export interface Bookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  type: "link";
  emoji?: string;
  date_created: number;
  last_updated_by_user_id: string;
}

export interface Channel {
  id: string;
  name?: string;
  is_private: boolean;
  is_archived: boolean;
  is_im: boolean;
  /** The other party of a direct message channel. */
  user?: string;
  created: number;
  creator: string;
  members: string[];
  topic: TopicOrPurpose;
  purpose: TopicOrPurpose;
  bookmarks: Bookmark[];
  /** ts of the pinned messages. */
  pins: string[];
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

export interface SharedFile {
  id: string;
  name: string;
  title: string;
}

export interface Message {
  type: "message";
  ts: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  reply_count?: number;
  replies?: { user?: string; ts: string }[];
  edited?: { user: string; ts: string };
  reactions?: Reaction[];
  files?: SharedFile[];
}

export interface Ephemeral {
  channel: string;
  user: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
}

export interface View {
  id: string;
  team_id: string;
  type: "modal" | "home";
  /** Who sees the view; not part of Slack's view object, so it is left out of answers. */
  user?: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  state: { values: Record<string, unknown> };
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
}

export interface Trigger {
  id: string;
  user?: string;
  createdAt: number;
  exchanged: boolean;
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  length: number;
  user: string;
  created: number;
  /** Bytes received at the upload URL; undefined until uploaded. */
  content?: Buffer;
  completed: boolean;
  shares: { channel: string; ts: string }[];
}

export interface SlackState {
  workspace: Workspace;
  bot: BotIdentity;
  users: Record<string, User>;
  userGroups: Record<string, UserGroup>;
  channels: Record<string, Channel>;
  /** Per channel id, oldest first; thread replies included (with thread_ts). */
  messages: Record<string, Message[]>;
  ephemerals: Ephemeral[];
  views: Record<string, View>;
  /** Per user, the ids of the open modal stack, root first. */
  modalStacks: Record<string, string[]>;
  /** Per user, the id of the published Home tab view. */
  homeViews: Record<string, string>;
  triggers: Record<string, Trigger>;
  files: Record<string, StoredFile>;
}

export interface WorkspaceOptions {
  id?: string;
  name?: string;
  domain?: string;
  /** The app's bot identity, e.g. to match the app id of the payloads a test sends. */
  bot?: Partial<BotIdentity>;
}

/** The mutable world the handlers work on: state plus the clock and the id and ts generators. */
export class World {
  readonly state: SlackState;
  private seq = 0;
  private lastTsMicros = 0;

  constructor(
    readonly clock: () => number,
    workspace: WorkspaceOptions = {},
  ) {
    const team = { id: workspace.id ?? "T0FAKE0001", name: workspace.name ?? "Fake Workspace" };
    const bot: BotIdentity = {
      user_id: "U0FAKEBOT1",
      bot_id: "B0FAKEBOT1",
      app_id: "A0FAKEAPP1",
      name: "firebreak",
      ...workspace.bot,
    };
    this.state = {
      workspace: { ...team, domain: workspace.domain ?? "fake-workspace" },
      bot,
      users: {},
      userGroups: {},
      channels: {},
      messages: {},
      ephemerals: [],
      views: {},
      modalStacks: {},
      homeViews: {},
      triggers: {},
      files: {},
    };
    this.state.users[bot.user_id] = {
      id: bot.user_id,
      team_id: team.id,
      name: bot.name,
      real_name: "Firebreak",
      deleted: false,
      is_bot: true,
      tz: "America/Los_Angeles",
      tz_offset: -28800,
      profile: { real_name: "Firebreak", display_name: "", bot_id: bot.bot_id },
    };
  }

  /** Unix seconds by the injected clock, as Slack's `created` fields. */
  seconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}0${this.seq.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  /** A message ts like Slack's: clock seconds and microseconds, strictly increasing across the workspace. */
  nextTs(): string {
    this.lastTsMicros = Math.max(Math.floor(this.clock() * 1000), this.lastTsMicros + 1);
    const seconds = Math.floor(this.lastTsMicros / 1e6);
    return `${seconds}.${String(this.lastTsMicros % 1e6).padStart(6, "0")}`;
  }

  /** A channel's messages, oldest first (an empty list until the first post). */
  messagesOf(channelId: string): Message[] {
    this.state.messages[channelId] ??= [];
    return this.state.messages[channelId];
  }

  /** Appends a message; a reply (thread_ts set) is also counted on its parent, as Slack's history shows it. */
  append(channelId: string, message: Message): Message {
    const messages = this.messagesOf(channelId);
    const parent =
      message.thread_ts && messages.find((m) => m.ts === message.thread_ts && (m.thread_ts ?? m.ts) === m.ts);
    if (parent) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      parent.replies = [...(parent.replies ?? []), { user: message.user, ts: message.ts }];
    }
    messages.push(message);
    return message;
  }

  /** Slack's view hashes and trigger ids look like `<seconds>.<digits>.<hex>`; only uniqueness matters here. */
  token(): string {
    this.seq += 1;
    return `${this.seconds()}.${this.seq}.${randomBytes(8).toString("hex")}`;
  }
}

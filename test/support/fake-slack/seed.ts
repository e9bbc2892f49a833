/** Builders that put users, channels, user groups and messages into the fake workspace. */
import type { Channel, Message, User, UserGroup, World } from "./state.ts";

export interface UserInput {
  id?: string;
  name?: string;
  real_name?: string;
  email?: string;
  tz?: string;
  tz_offset?: number;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface ChannelInput {
  id?: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** The bot is a member only when listed (or when it created the channel). */
  members?: string[];
  creator?: string;
  topic?: string;
  purpose?: string;
}

export interface UserGroupInput {
  id?: string;
  handle: string;
  name?: string;
  description?: string;
  users?: string[];
  disabled?: boolean;
}

export interface MessageInput {
  user: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
}

export function addUser(world: World, input: UserInput = {}): User {
  const id = input.id ?? world.newId("U");
  const name = input.name ?? `user-${id.toLowerCase()}`;
  const realName = input.real_name ?? name;
  const user: User = {
    id,
    team_id: world.state.workspace.id,
    name,
    real_name: realName,
    deleted: input.deleted ?? false,
    is_bot: input.is_bot ?? false,
    tz: input.tz ?? "Etc/UTC",
    tz_offset: input.tz_offset ?? 0,
    profile: { real_name: realName, display_name: name, ...(input.email ? { email: input.email } : {}) },
  };
  world.state.users[id] = user;
  return user;
}

export function addChannel(world: World, input: ChannelInput): Channel {
  const members = input.members ?? [];
  const creator = input.creator ?? members[0] ?? "";
  const text = (value = "") => ({
    value,
    creator: value ? creator : "",
    last_set: value ? world.seconds() : 0,
  });
  const channel: Channel = {
    id: input.id ?? world.newId("C"),
    name: input.name,
    is_private: input.is_private ?? false,
    is_archived: input.is_archived ?? false,
    is_im: false,
    created: world.seconds(),
    creator,
    members: [...members],
    topic: text(input.topic),
    purpose: text(input.purpose),
    bookmarks: [],
    pins: [],
  };
  world.state.channels[channel.id] = channel;
  return channel;
}

export function addUserGroup(world: World, input: UserGroupInput): UserGroup {
  const group: UserGroup = {
    id: input.id ?? world.newId("S"),
    team_id: world.state.workspace.id,
    is_usergroup: true,
    handle: input.handle,
    name: input.name ?? input.handle,
    description: input.description ?? "",
    users: [...(input.users ?? [])],
    date_create: world.seconds(),
    date_delete: input.disabled ? world.seconds() : 0,
  };
  world.state.userGroups[group.id] = group;
  return group;
}

/** A message from a person (not the bot), e.g. to prove the bot cannot edit it. */
export function addMessage(world: World, channelId: string, input: MessageInput): Message {
  if (!world.state.channels[channelId]) throw new Error(`addMessage: no channel ${channelId} in the fake`);
  const { user, text, blocks, thread_ts } = input;
  return world.append(channelId, { type: "message", ts: world.nextTs(), user, text, blocks, thread_ts });
}

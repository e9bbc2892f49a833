import { WebClient } from "@slack/web-api";
import type { Config } from "../config.ts";
import type { Clock } from "../domain/clock.ts";
import type { HomeSummary } from "../domain/home.ts";
import type { Incident, MessageRef } from "../domain/incident.ts";
import { type Logger, slackLoggerFor } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { Message, Notifier, ReplyTarget, UploadedFile } from "../notifier.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { meteredFetch } from "./metering.ts";
import { attempt } from "./outcome.ts";
import { respond } from "./respond.ts";
import { homeView } from "./views/home.ts";
import { renderMessage } from "./views/message.ts";
import { incidentPurpose, incidentTopic } from "./views/topic.ts";

const done = <T>(value: T): SendOutcome<T> => ({ status: "done", value });

/**
 * The notifier port over Slack's Web API: renders each kind of message with its view and turns Slack's
 * errors into outcomes. Its client must not wait out rate limits itself (`rejectRateLimitedCalls`), so a
 * 429 reaches the caller as `rate_limited` with Slack's Retry-After.
 */
export class SlackNotifier implements Notifier {
  constructor(
    private readonly client: WebClient,
    private readonly deps: { config: Config; clock: Clock; logger: Logger },
  ) {}

  private render(message: Message) {
    return renderMessage(message, this.deps.config.incidents.severityPolicy, this.deps.clock.now());
  }

  async post(channelId: string, message: Message, options: { thread?: MessageRef } = {}) {
    const sent = await attempt(() =>
      this.client.chat.postMessage({
        channel: channelId,
        ...(options.thread && { thread_ts: options.thread.ts }),
        ...this.render(message),
      }),
    );
    if (sent.status !== "done") return sent;
    return done({ channelId: sent.value?.channel ?? channelId, ts: sent.value?.ts ?? "" });
  }

  /** Slack's upload sequence (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
  async uploadFile(channelId: string, file: UploadedFile, options: { thread?: MessageRef } = {}) {
    const upload = {
      filename: file.filename,
      title: file.title,
      ...(file.comment && { initial_comment: file.comment }),
      ...(file.altText && { alt_text: file.altText }),
      ...(typeof file.content === "string" ? { content: file.content } : { file: file.content }),
    };
    // The SDK types a threaded upload and a channel upload as different shapes.
    const sent = await attempt(() =>
      options.thread
        ? this.client.filesUploadV2({ ...upload, channel_id: channelId, thread_ts: options.thread.ts })
        : this.client.filesUploadV2({ ...upload, channel_id: channelId }),
    );
    return sent.status === "done" ? done(undefined) : sent;
  }

  sendDirect(userId: string, message: Message) {
    return this.post(userId, message);
  }

  async update(ref: MessageRef, message: Message) {
    const sent = await attempt(() =>
      this.client.chat.update({ channel: ref.channelId, ts: ref.ts, ...this.render(message) }),
    );
    return sent.status === "done" ? done(undefined) : sent;
  }

  reply(to: ReplyTarget, message: Message, options?: { replaceOriginal?: boolean }) {
    return respond(this.client, this.deps.logger, to, this.render(message), options);
  }

  async createChannel(name: string, options: { isPrivate: boolean }) {
    const created = await attempt(() =>
      this.client.conversations.create({ name, is_private: options.isPrivate }),
    );
    if (created.status !== "done") {
      return created.code === "name_taken" ? done("taken" as const) : created;
    }
    const channelId = created.value?.channel?.id;
    if (!channelId)
      return { status: "unavailable", code: "conversations.create returned no channel id" } as const;
    return done({ channelId, channelName: created.value?.channel?.name ?? name });
  }

  async invite(channelId: string, userId: string) {
    return this.nothing(
      attempt(
        () => this.client.conversations.invite({ channel: channelId, users: userId }),
        ["already_in_channel"],
      ),
    );
  }

  async describeChannel(channelId: string, incident: Incident) {
    const purpose = await this.nothing(
      attempt(() =>
        this.client.conversations.setPurpose({ channel: channelId, purpose: incidentPurpose(incident) }),
      ),
    );
    return purpose.status === "done" ? this.setTopic(channelId, incident) : purpose;
  }

  setTopic(channelId: string, incident: Incident) {
    return this.nothing(
      attempt(() =>
        this.client.conversations.setTopic({ channel: channelId, topic: incidentTopic(incident) }),
      ),
    );
  }

  archive(channelId: string) {
    return this.nothing(
      attempt(() => this.client.conversations.archive({ channel: channelId }), ["already_archived"]),
    );
  }

  unarchive(channelId: string) {
    return this.nothing(
      attempt(() => this.client.conversations.unarchive({ channel: channelId }), ["not_archived"]),
    );
  }

  async userGroupMembers(groupId: string) {
    const listed = await attempt(() => this.client.usergroups.users.list({ usergroup: groupId }));
    return listed.status === "done" ? done(listed.value?.users ?? []) : listed;
  }

  async isInChannel(channelId: string, userId: string): Promise<SendOutcome<boolean>> {
    let cursor: string | undefined;
    do {
      const page = await attempt(() =>
        this.client.conversations.members({ channel: channelId, limit: 200, cursor }),
      );
      if (page.status !== "done") return page;
      if (page.value?.members?.includes(userId)) return done(true);
      cursor = page.value?.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return done(false);
  }

  async publishHome(userId: string, home: HomeSummary) {
    const view = homeView(home, this.deps.config.incidents.severityPolicy);
    return this.nothing(attempt(() => this.client.views.publish({ user_id: userId, view })));
  }

  async whoAmI() {
    const me = await attempt(() => this.client.auth.test());
    if (me.status !== "done") return me;
    if (!me.value?.team_id || !me.value.user_id)
      return { status: "unavailable", code: "auth.test returned no team or user" } as const;
    return done({ workspaceId: me.value.team_id, userId: me.value.user_id });
  }

  private async nothing(call: Promise<SendOutcome<unknown>>): Promise<SendOutcome> {
    const outcome = await call;
    return outcome.status === "done" ? done(undefined) : outcome;
  }
}

/**
 * The notifier over its own Web API client: a 429 comes back at once as `rate_limited` instead of being
 * waited out inside the client, and a failed request is not retried inside it either: an outage comes back
 * as `unavailable` at once, and the delivery queue retries with its own backoff, on the database's clock.
 */
export function createSlackNotifier(deps: {
  config: Config;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}): SlackNotifier {
  const client = new WebClient(deps.config.slack.botToken, {
    slackApiUrl: deps.config.slack.apiUrl,
    fetch: meteredFetch(deps.config.slack.apiUrl, deps.metrics),
    logger: slackLoggerFor(deps.logger),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  return new SlackNotifier(client, deps);
}

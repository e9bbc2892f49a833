import type { App } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { getIncidentByChannel } from "../../store/incidents.ts";
import { appendEvent, wasMessagePinned } from "../../store/timeline.ts";
import { slackErrorCode } from "../outcome.ts";

const PIN_REACTION = "pushpin";

/** A message's timestamp as Slack writes it ("1712345678.123456"): anything else names no message. */
const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);
/** The message a reaction is on, read like any outside input before Slack is asked about it. */
const reactedMessage = z.object({ type: z.literal("message"), channel: z.string().min(1), ts: slackTs });
const editedMessage = z.object({ ts: slackTs, text: z.string().optional() });

/**
 * The 📌 reaction puts a message of the incident channel on the timeline (removing it takes it off), and
 * edits and deletions of pinned messages follow it there. Every write is keyed by the Slack event, so
 * Slack's retries change nothing; the timeline view folds pins, edits and deletions into one entry.
 */
export function register(app: App, deps: AppContext): void {
  const models = () => deps.store.models;

  app.event("reaction_added", async ({ event, client }) => {
    const item = reactedMessage.safeParse(event.item);
    if (event.reaction !== PIN_REACTION || !item.success) return;
    const { channel, ts } = item.data;
    const incident = await getIncidentByChannel(models(), channel);
    if (!incident) return;
    try {
      // History lists top-level messages only; a reply in a thread is found through its thread.
      const history = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
      const message =
        history.messages?.find((m) => m.ts === ts) ??
        (await client.conversations.replies({ channel, ts })).messages?.find((m) => m.ts === ts);
      if (!message) return;
      const permalink = await client.chat.getPermalink({ channel, message_ts: ts }).then(
        (answer) => answer.permalink,
        () => undefined,
      );
      await appendEvent(models(), {
        incidentId: incident.id,
        type: "message_pinned",
        at: deps.clock.now(),
        actorId: event.user,
        payload: {
          channelId: channel,
          ts,
          authorId: message.user ?? message.bot_id ?? event.item_user ?? "unknown",
          text: message.text ?? "",
          permalink,
          postedAt: new Date(Number(ts) * 1000),
        },
        key: `pin:${ts}:${event.user}:${event.event_ts}`,
      });
    } catch (error) {
      deps.logger.warn(
        { incident: incident.number, error: slackErrorCode(error) },
        "could not pin a message",
      );
    }
  });

  app.event("reaction_removed", async ({ event }) => {
    const item = reactedMessage.safeParse(event.item);
    if (event.reaction !== PIN_REACTION || !item.success) return;
    const incident = await getIncidentByChannel(models(), item.data.channel);
    if (!incident || !(await wasMessagePinned(models(), incident.id, item.data.ts))) return;
    await appendEvent(models(), {
      incidentId: incident.id,
      type: "message_unpinned",
      at: deps.clock.now(),
      actorId: event.user,
      payload: { ts: item.data.ts },
      key: `unpin:${item.data.ts}:${event.user}:${event.event_ts}`,
    });
  });

  app.event("message", async ({ event }) => {
    if (event.subtype !== "message_changed" && event.subtype !== "message_deleted") return;
    const incident = await getIncidentByChannel(models(), event.channel);
    if (!incident) return;
    if (event.subtype === "message_changed") {
      const parsed = editedMessage.safeParse(event.message);
      if (!parsed.success) return;
      const edited = parsed.data;
      if (!(await wasMessagePinned(models(), incident.id, edited.ts))) return;
      await appendEvent(models(), {
        incidentId: incident.id,
        type: "pinned_message_edited",
        at: deps.clock.now(),
        actorId: (event.message as { user?: string }).user ?? "unknown",
        payload: { ts: edited.ts, text: edited.text ?? "" },
        key: `edit:${edited.ts}:${event.event_ts}`,
      });
      return;
    }
    if (!slackTs.safeParse(event.deleted_ts).success) return;
    if (!(await wasMessagePinned(models(), incident.id, event.deleted_ts))) return;
    await appendEvent(models(), {
      incidentId: incident.id,
      type: "pinned_message_deleted",
      at: deps.clock.now(),
      actorId: (event.previous_message as { user?: string } | undefined)?.user ?? "unknown",
      payload: { ts: event.deleted_ts },
      key: `delete:${event.deleted_ts}`,
    });
  });
}

import { type DuplicateMatch, findLikelyDuplicates } from "../../domain/duplicates.ts";
import type { Incident, Severity } from "../../domain/incident.ts";
import type { TimelinePayload } from "../../domain/timeline.ts";
import { nextUpdateDue } from "../../domain/update-cadence.ts";
import {
  createIncident,
  getIncidentByNumber,
  recentOpenIncidents,
  updateIncident,
} from "../../store/incidents.ts";
import { appendEvent } from "../../store/timeline.ts";
import { armIncidentEscalation } from "../alerts/incident-escalation.ts";
import { kickoffMessage } from "../views/kickoff.ts";
import { incidentPurpose, incidentTopic } from "../views/topic.ts";
import { createIncidentChannel, inviteToChannel } from "./channel.ts";
import { type FlowContext, policyOf, slackErrorCode } from "./flow-context.ts";
import { refreshIncidentMessages } from "./refresh.ts";

export interface DeclareInput {
  workspaceId: string;
  /** From Slack's request (trigger_id, view id), so a retried or double-submitted declare is the same one. */
  declareKey: string;
  title: string;
  description: string;
  severity: Severity;
  services: string[];
  reporterId: string;
  commanderId?: string | undefined;
  /**
   * Declared by Firebreak itself from a critical alert: the reporter is the bot, nobody is made commander
   * or invited, and the alert's own escalation pages people (the incident's would page them twice).
   */
  fromAlert?: boolean;
  isPrivate: boolean;
  /** Incidents this one was declared "anyway" next to. */
  linkedNumbers?: number[];
  /** The message a "Declare incident" message shortcut started from. */
  fromMessage?: TimelinePayload<"declared">["fromMessage"];
}

export interface DeclareOutcome {
  incident: Incident;
  /** False when this request repeated an earlier declare: nothing new was done. */
  created: boolean;
  /** Steps that failed; each is on the timeline too. The incident exists either way. */
  problems: string[];
}

/**
 * Open incidents this declaration may duplicate (same service, or a similar title, declared recently),
 * leaving out the one a repeat of this same request (its `declareKey`) already declared.
 */
export async function findDuplicates(
  ctx: FlowContext,
  workspaceId: string,
  candidate: { title: string; services: string[]; declareKey?: string },
): Promise<DuplicateMatch[]> {
  const now = ctx.clock.now();
  const windowMs = ctx.config.incidents.duplicateWindowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs);
  const recent = await recentOpenIncidents(ctx.store.models, workspaceId, since, candidate.declareKey);
  return findLikelyDuplicates(
    { title: candidate.title, affectedServices: candidate.services, declaredAt: now },
    recent,
    { windowMs },
  );
}

/**
 * Declares an incident and opens its channel. The critical path is the record, the channel and the kickoff
 * message; invites, topic, purpose, announcement and links then run in parallel. Any Slack failure is
 * recorded on the timeline and returned, so the declarer hears of it and nothing is half-done silently.
 */
export async function declareIncident(ctx: FlowContext, input: DeclareInput): Promise<DeclareOutcome> {
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const commanderId = input.fromAlert ? undefined : (input.commanderId ?? input.reporterId);
  const { incident, created } = await createIncident(models, {
    workspaceId: input.workspaceId,
    declareKey: input.declareKey,
    title: input.title,
    description: input.description,
    severity: input.severity,
    affectedServices: input.services,
    roles: commanderId ? { commander: commanderId } : {},
    reporterId: input.reporterId,
    isPrivate: input.isPrivate,
    declaredAt: now,
    linkedNumbers: input.linkedNumbers ?? [],
  });
  if (!created) return { incident, created, problems: [] };

  const problems: string[] = [];
  const record = <T extends Parameters<typeof appendEvent>[1]>(event: T) => appendEvent(models, event);
  const fail = async (step: string, error: unknown) => {
    const code = slackErrorCode(error);
    problems.push(`${step}: ${code}`);
    await record({
      incidentId: incident.id,
      type: "slack_error",
      at: ctx.clock.now(),
      actorId: "firebreak",
      payload: { step, error: code },
    });
  };

  await record({
    incidentId: incident.id,
    type: "declared",
    at: now,
    actorId: input.reporterId,
    payload: { severity: input.severity, title: input.title, fromMessage: input.fromMessage },
    key: "declared",
  });

  let current = incident;
  try {
    const channel = await createIncidentChannel(ctx, incident);
    const nextUpdateDueAt = nextUpdateDue(policyOf(ctx, incident), now);
    current = (await updateIncident(models, incident.id, { ...channel, nextUpdateDueAt })) ?? {
      ...incident,
      ...channel,
    };
    await record({
      incidentId: incident.id,
      type: "channel_created",
      at: ctx.clock.now(),
      actorId: "firebreak",
      payload: { ...channel, isPrivate: incident.isPrivate },
      key: "channel",
    });
  } catch (error) {
    await fail("create the incident channel", error);
    if (!input.fromAlert) await armIncidentEscalation(ctx, current);
    return { incident: await refreshIncidentMessages(ctx, current), created, problems };
  }
  const channelId = current.channelId ?? "";

  try {
    const kickoff = await ctx.client.chat.postMessage({
      channel: channelId,
      ...kickoffMessage(current, policyOf(ctx, current), ctx.clock.now()),
    });
    if (kickoff.ts)
      current =
        (await updateIncident(models, incident.id, { kickoff: { channelId, ts: kickoff.ts } })) ?? current;
  } catch (error) {
    await fail("post the kickoff message", error);
  }
  if (!input.fromAlert) await armIncidentEscalation(ctx, current);

  const invite = async () => {
    const people = input.fromAlert ? [] : [input.reporterId, ...(commanderId ? [commanderId] : [])];
    if (people.length === 0) return;
    const { invited, failed } = await inviteToChannel(ctx, channelId, people);
    if (invited.length > 0) {
      await record({
        incidentId: incident.id,
        type: "members_invited",
        at: ctx.clock.now(),
        actorId: "firebreak",
        payload: { userIds: invited },
      });
    }
    for (const failure of failed) await fail(`invite <@${failure.userId}>`, new Error(failure.error));
  };
  const describeChannel = async () => {
    await ctx.client.conversations
      .setPurpose({ channel: channelId, purpose: incidentPurpose(current) })
      .catch((e) => fail("set the channel purpose", e));
    await ctx.client.conversations
      .setTopic({ channel: channelId, topic: incidentTopic(current) })
      .catch((e) => fail("set the channel topic", e));
  };
  const link = async () => {
    for (const otherNumber of input.linkedNumbers ?? [])
      await linkIncidents(ctx, current, otherNumber, input.reporterId);
  };
  const [, , , refreshed] = await Promise.all([
    invite(),
    describeChannel(),
    link(),
    refreshIncidentMessages(ctx, current),
  ]);
  return { incident: refreshed, created, problems };
}

/** Records the link on both incidents' timelines (idempotent per pair). */
async function linkIncidents(ctx: FlowContext, incident: Incident, otherNumber: number, actorId: string) {
  const other = await getIncidentByNumber(ctx.store.models, incident.workspaceId, otherNumber);
  if (!other) return;
  const at = ctx.clock.now();
  const reason = "declared anyway despite the duplicate warning";
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "linked",
    at,
    actorId,
    payload: { otherNumber, reason },
    key: `linked:${otherNumber}`,
  });
  await appendEvent(ctx.store.models, {
    incidentId: other.id,
    type: "linked",
    at,
    actorId,
    payload: { otherNumber: incident.number, reason },
    key: `linked:${incident.number}`,
  });
  if (!other.linkedNumbers.includes(incident.number)) {
    await updateIncident(ctx.store.models, other.id, {
      linkedNumbers: [...other.linkedNumbers, incident.number],
    });
  }
}

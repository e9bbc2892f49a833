import { linkAlertToIncident } from "../alerts/alert-changes.ts";
import { armIncidentEscalation } from "../alerts/incident-escalation.ts";
import { linkImplementingChanges } from "../changes/incident-link.ts";
import { type AppContext, policyOf } from "../context.ts";
import { type DuplicateMatch, findLikelyDuplicates } from "../domain/duplicates.ts";
import type { Incident, Severity } from "../domain/incident.ts";
import type { FailedStep, TimelinePayload } from "../domain/timeline.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import { refreshHomesOfIncident } from "../home/home.ts";
import { noteMaintenanceOnDeclare } from "../maintenance/suppression.ts";
import type { ReplyTarget } from "../notifier.ts";
import { newReference } from "../reference.ts";
import { attachRunbookChecklists } from "../runbooks/checklists.ts";
import { isRetryable, type SendFailure } from "../send-outcome.ts";
import { publishOnDeclare } from "../status-page/publish.ts";
import { createIncident, getIncidentsByIds, updateIncident } from "../store/incidents.ts";
import { recentOpenEntries } from "../store/live-incident-queries.ts";
import { appendEvent } from "../store/timeline.ts";
import { createIncidentChannel, inviteToChannel } from "./channel.ts";
import { linkIncidents } from "./links.ts";
import { announceIncident } from "./refresh.ts";
import { queueStepRetry, retriedDeclareStep } from "./step-retries.ts";

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
  /** A practice incident (`--drill`): see `Incident.drill`. */
  drill?: boolean | undefined;
  /** The incident type (`--type database`): the runbooks of that type post their checklists. */
  type?: string | undefined;
  /** "Publish to status page" was ticked (the severity's policy may publish it anyway). */
  publish?: boolean | undefined;
  /** Incidents this one was declared "anyway" next to. */
  linkedNumbers?: number[] | undefined;
  /** The message a "Declare incident" message shortcut started from. */
  fromMessage?: TimelinePayload<"declared">["fromMessage"];
  /** The alert it was declared from: the two are linked once declared. */
  alertId?: string | undefined;
}

/** A step of the declaration that failed; it is on the timeline too. */
export interface DeclareProblem {
  step: FailedStep;
  failure: SendFailure;
  /** The reference of the log line that holds the detail. */
  ref: string;
  /** Slack failed for a while (429, 5xx): the step is queued and done once Slack answers. */
  retrying: boolean;
}

export interface DeclareOutcome {
  incident: Incident;
  /** False when this request repeated an earlier declare: nothing new was done. */
  created: boolean;
  /** Steps that failed. The incident exists either way. */
  problems: DeclareProblem[];
}

export interface DeclareOptions {
  /** Whom to tell where the incident lives (and what failed on the way). */
  replyTo?: ReplyTarget | undefined;
  /**
   * Called with the open incidents this one likely duplicates; nothing is declared then. Left out, the
   * check is skipped: "Declare anyway", and alerts, which are deduplicated by their source.
   */
  onDuplicates?: (duplicates: DuplicateMatch[]) => Promise<void>;
  /** Called once it is settled that the incident will be declared (a form closes there). */
  onDeclaring?: () => Promise<void>;
}

/**
 * The one way to declare, for the command, the form, both shortcuts, "Declare anyway" and alerts: the
 * duplicate check when asked for, the declaration, the link to its alert, and the answer to the declarer.
 */
export async function requestDeclare(
  ctx: AppContext,
  input: DeclareInput,
  options: DeclareOptions = {},
): Promise<DeclareOutcome | undefined> {
  if (options.onDuplicates) {
    const duplicates = await findDuplicates(ctx, input);
    if (duplicates.length > 0) {
      await options.onDuplicates(duplicates);
      return undefined;
    }
  }
  await options.onDeclaring?.();
  const outcome = await declareIncident(ctx, input);
  if (input.alertId) await linkAlertToIncident(ctx, input.alertId, outcome.incident.number);
  if (options.replyTo)
    await ctx.notifier.reply(options.replyTo, { kind: "declared", ...outcome }, { replaceOriginal: true });
  return outcome;
}

/**
 * Open incidents this declaration may duplicate (same service, or a similar title, declared recently),
 * leaving out the one a repeat of this same request (its `declareKey`) already declared.
 */
async function findDuplicates(ctx: AppContext, input: DeclareInput): Promise<DuplicateMatch[]> {
  const now = ctx.clock.now();
  const windowMs = ctx.config.incidents.duplicateWindowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs);
  const recent = await recentOpenEntries(ctx.store.models, input.workspaceId, since, input.declareKey);
  const matches = findLikelyDuplicates(
    { title: input.title, affectedServices: input.services, declaredAt: now },
    recent,
    { windowMs },
  );
  // Only the matches are read whole, for the warning; one resolved meanwhile is no duplicate any more.
  const incidents = new Map(
    (
      await getIncidentsByIds(
        ctx.store.models,
        matches.map((match) => match.incident.id),
      )
    ).map((incident) => [incident.id, incident]),
  );
  return matches.flatMap((match) => {
    const incident = incidents.get(match.incident.id);
    return incident && incident.status !== "resolved" ? [{ ...match, incident }] : [];
  });
}

/**
 * Declares an incident and opens its channel. The critical path is the record, the channel and the kickoff
 * message, posted once in its final form straight after the channel is created (the timeline entries and
 * the stored channel are written alongside); invites, topic, purpose, announcement, links and escalation
 * then run in parallel. Any Slack failure is recorded on the timeline and returned, so the declarer hears of it.
 */
async function declareIncident(ctx: AppContext, input: DeclareInput): Promise<DeclareOutcome> {
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const commanderId = input.fromAlert ? undefined : (input.commanderId ?? input.reporterId);
  let channelCreated: ReturnType<typeof createIncidentChannel> | undefined;
  const { incident, created } = await createIncident(
    models,
    {
      workspaceId: input.workspaceId,
      declareKey: input.declareKey,
      title: input.title,
      description: input.description,
      severity: input.severity,
      affectedServices: input.services,
      roles: commanderId ? { commander: commanderId } : {},
      reporterId: input.reporterId,
      isPrivate: input.isPrivate,
      ...(input.drill && { drill: true }),
      declaredAt: now,
      linkedNumbers: input.linkedNumbers ?? [],
    },
    (inserted) => {
      // The channel is asked for as soon as the incident is stored, while its side documents are written.
      channelCreated = createIncidentChannel(ctx, inserted);
      // Awaited below; should storing the incident fail first, its outcome is simply not needed.
      channelCreated.catch(() => undefined);
    },
  );
  if (!created) return { incident, created, problems: [] };

  let current = incident;
  const problems: DeclareProblem[] = [];
  const record = <T extends Parameters<typeof appendEvent>[1]>(event: T) => appendEvent(models, event);
  const fail = async (step: FailedStep, failure: SendFailure) => {
    const ref = newReference();
    const retried = isRetryable(failure) ? retriedDeclareStep(step) : undefined;
    if (retried) await queueStepRetry(ctx, incident.id, retried, failure);
    problems.push({ step, failure, ref, retrying: retried !== undefined });
    ctx.logger.warn(
      { ref, incident: incident.number, ...step, error: failure.code },
      "a declaration step failed",
    );
    await record({
      incidentId: incident.id,
      type: "slack_error",
      at: ctx.clock.now(),
      actorId: "firebreak",
      payload: { ...step, error: failure.code },
    });
  };
  // A drill pages nobody: the people practising are already in its channel, and nobody else may be woken.
  const escalate = () =>
    input.fromAlert || input.drill ? Promise.resolve() : armIncidentEscalation(ctx, current);
  const announce = async () => {
    current = await announceIncident(ctx, current);
  };
  // Done with or without a channel: a channel created late posts what of it belongs there.
  const followUps = () => [
    escalate(),
    announce(),
    refreshHomesOfIncident(ctx, incident),
    linkImplementingChanges(ctx, current),
    noteMaintenanceOnDeclare(ctx, current),
    attachRunbookChecklists(ctx, current, input.type),
    publishOnDeclare(ctx, incident, input.publish === true),
  ];

  // The critical path is the channel, then the kickoff: the timeline and the incident's own record of the
  // channel are written alongside those two Slack calls, never before them. The timeline's entries keep
  // their order (declared, then the channel or what failed) without the kickoff waiting for either.
  const declared = record({
    incidentId: incident.id,
    type: "declared",
    at: now,
    actorId: input.reporterId,
    payload: { severity: input.severity, title: input.title, fromMessage: input.fromMessage },
    key: "declared",
  });
  // Awaited below; this only keeps a failure meanwhile from counting as unhandled.
  declared.catch(() => undefined);
  const channel = await (channelCreated ?? createIncidentChannel(ctx, incident));
  if (channel.status !== "done") {
    await declared;
    await fail({ action: "create_channel" }, channel);
    await Promise.all(followUps());
    return { incident: current, created, problems };
  }
  const nextUpdateDueAt = nextUpdateDue(policyOf(ctx, incident), now);
  const { channelId } = channel.value;
  const withChannel = { ...incident, ...channel.value, nextUpdateDueAt };
  const channelCreatedEvent = {
    incidentId: incident.id,
    type: "channel_created",
    at: ctx.clock.now(),
    actorId: "firebreak",
    payload: { ...channel.value, isPrivate: incident.isPrivate },
    key: "channel",
  } as const;
  const [kickoff, stored] = await Promise.all([
    ctx.notifier.post(channelId, { kind: "kickoff", incident: withChannel }),
    updateIncident(models, incident.id, { ...channel.value, nextUpdateDueAt }),
    declared.then(() => record(channelCreatedEvent)),
  ]);
  current = stored ?? withChannel;
  if (kickoff.status === "done")
    current = (await updateIncident(models, incident.id, { kickoff: kickoff.value })) ?? current;
  else await fail({ action: "post_kickoff" }, kickoff);

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
    for (const { userId, failure } of failed) await fail({ action: "invite", userId }, failure);
  };
  const describeChannel = async () => {
    const described = await ctx.notifier.describeChannel(channelId, current);
    if (described.status !== "done") await fail({ action: "describe_channel" }, described);
  };
  const link = async () => {
    for (const otherNumber of input.linkedNumbers ?? [])
      await linkIncidents(ctx, current, otherNumber, input.reporterId);
  };
  await Promise.all([invite(), describeChannel(), link(), ...followUps()]);
  return { incident: current, created, problems };
}

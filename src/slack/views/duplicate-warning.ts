import type { KnownBlock, ModalView, SectionBlock } from "@slack/types";
import type { DuplicateMatch } from "../../domain/duplicates.ts";
import { incidentKey } from "../../domain/incident.ts";
import { severityLabel } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import { truncate } from "../../domain/text.ts";
import { INCIDENT_ACTIONS, INCIDENT_VIEWS } from "../ids.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import {
  button,
  channelMention,
  context,
  messageFromBlocks,
  type SlackMessage,
  section,
  titleMrkdwn,
  truncateMrkdwn,
} from "./blocks.ts";
import { modalView } from "./forms.ts";

/**
 * "Is this already being handled?" Shown before a new incident is declared when open incidents look like
 * it: as a modal (from the declare form) or as an ephemeral message (from `/incident declare sev2 …`).
 * Each likely duplicate comes with a "Join INC-41" button; declaring anyway stays one click away.
 */

/** How many likely duplicates are listed; the rest are counted. */
export const MAX_DUPLICATES_SHOWN = 5;

/** Room for the reasons in a match's section, which also holds a title of up to 750 escaped characters. */
const MAX_REASONS_TEXT = 1500;
const INTRO = "*This may already be handled.* These open incidents look like the one you are declaring:";
const MODAL_OUTRO = "Join one of them, or *Declare anyway* to open a new incident linked to them.";
const MESSAGE_OUTRO = "Join one of them, or declare anyway: the new incident will be linked to them.";

function matchSection(match: DuplicateMatch, index: number): SectionBlock {
  const { incident } = match;
  const key = incidentKey(incident.number);
  const reasons = truncateMrkdwn(
    match.reasons.map((reason) => escapeMrkdwn(truncate(reason, 120))).join(" · "),
    MAX_REASONS_TEXT,
  );
  const facts = [
    severityLabel(incident.severity),
    statusLabel(incident.status),
    `declared ${slackDateToken(incident.declaredAt)}`,
    ...(incident.channelId ? [channelMention(incident.channelId)] : []),
  ];
  return {
    ...section(`*${key}* ${titleMrkdwn(incident.title)}\n_${reasons}_\n${facts.join(" · ")}`),
    block_id: `duplicate_${index}`,
    accessory: button(`Join ${key}`, INCIDENT_ACTIONS.joinExisting, incident.id),
  };
}

function matchBlocks(matches: readonly DuplicateMatch[]): KnownBlock[] {
  const shown = matches.slice(0, MAX_DUPLICATES_SHOWN);
  const hidden = matches.length - shown.length;
  return [
    section(INTRO),
    ...shown.map(matchSection),
    ...(hidden > 0 ? [context(`…and ${hidden} more like ${hidden === 1 ? "it" : "them"}.`)] : []),
  ];
}

/**
 * The modal pushed over the declare form. Submitting declares anyway; "Back" returns to the form.
 * `pendingJson` (the declaration waiting to happen) travels in private_metadata: the caller keeps it within
 * Slack's 3000 characters.
 */
export function duplicateWarningModal(matches: DuplicateMatch[], pendingJson: string): ModalView {
  return modalView({
    callbackId: INCIDENT_VIEWS.duplicateWarning,
    title: "Possible duplicate",
    submit: "Declare anyway",
    close: "Back",
    privateMetadata: pendingJson,
    blocks: [...matchBlocks(matches), context(MODAL_OUTRO)],
  });
}

/**
 * The ephemeral answer to a one-line `/incident declare sev2 …` that looks like a duplicate. The "Declare
 * anyway" button carries `pendingValue` (the declaration waiting to happen): the caller keeps it within a
 * button value's 2000 characters.
 */
export function duplicateWarningMessage(matches: DuplicateMatch[], pendingValue: string): SlackMessage {
  return messageFromBlocks([
    ...matchBlocks(matches),
    context(MESSAGE_OUTRO),
    {
      type: "actions",
      block_id: "duplicate_declare_anyway",
      elements: [button("Declare anyway", INCIDENT_ACTIONS.declareAnyway, pendingValue)],
    },
  ]);
}

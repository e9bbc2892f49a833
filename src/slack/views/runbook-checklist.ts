import type { Checkboxes, KnownBlock, PlainTextOption } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import {
  type ChecklistItemState,
  checklistProgress,
  type IncidentChecklists,
  type RunbookChecklist,
} from "../../domain/runbook.ts";
import type { RunbookLibrary } from "../../runbooks/library.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import {
  context,
  escapedWithin,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
  sections,
} from "./blocks.ts";

/**
 * A runbook's checklist in the incident channel: one section per item with a "Done" checkbox, and who
 * ticked it and when. Each checkbox is its own element, so a click names exactly one item (a message's
 * checkboxes group would hand over the clicker's possibly stale view of all of them).
 */

const ACTION_PREFIX = "runbook_check";
/** Matches every checklist checkbox's action_id, for the listener. */
export const RUNBOOK_CHECK_ACTION = new RegExp(`^${ACTION_PREFIX}:`);
const BLOCK_PREFIX = "runbook";
const DONE_VALUE = "done";

const doneOption = {
  text: { type: "plain_text", text: "Done" },
  value: DONE_VALUE,
} satisfies PlainTextOption;

/** The item a checkbox's block_id names. */
export interface CheckboxRef {
  incidentId: string;
  runbookId: string;
  itemId: string;
}

export function parseCheckboxBlockId(blockId: string): CheckboxRef | undefined {
  const [prefix, incidentId, runbookId, itemId, ...rest] = blockId.split("|");
  if (prefix !== BLOCK_PREFIX || !incidentId || !runbookId || !itemId || rest.length > 0) return undefined;
  return { incidentId, runbookId, itemId };
}

/** Whether a checkbox's click left it ticked. */
export const isTicked = (selected: readonly { value?: string }[] | undefined) =>
  (selected ?? []).some((option) => option.value === DONE_VALUE);

function doneLine(item: ChecklistItemState): string {
  if (!item.doneAt) return "";
  const by = item.doneBy ? `${mention(item.doneBy)}, ` : "";
  return `\n:white_check_mark: ${by}${slackDateToken(item.doneAt)}`;
}

function itemBlock(incidentId: string, runbookId: string, item: ChecklistItemState): KnownBlock {
  const checkbox: Checkboxes = {
    type: "checkboxes",
    action_id: `${ACTION_PREFIX}:${runbookId}:${item.id}`,
    options: [doneOption],
    ...(item.doneAt && { initial_options: [doneOption] }),
  };
  return {
    type: "section",
    block_id: [BLOCK_PREFIX, incidentId, runbookId, item.id].join("|"),
    text: { type: "mrkdwn", text: `${escapedWithin(item.text, 2000)}${doneLine(item)}` },
    accessory: checkbox,
  };
}

const progressText = (checklist: RunbookChecklist) => {
  const { done, total } = checklistProgress(checklist);
  return `${done} of ${total} done`;
};

export function runbookChecklistMessage(incidentId: string, checklist: RunbookChecklist): SlackMessage {
  return messageFromBlocks([
    section(`:clipboard: *Runbook: ${escapedWithin(checklist.title, 150)}*`),
    ...checklist.items.map((item) => itemBlock(incidentId, checklist.runbookId, item)),
    context(
      `${progressText(checklist)} · Tick each step as you do it: the timeline records who and when. \`/incident runbook\` shows the progress.`,
    ),
  ]);
}

function progressLine(item: ChecklistItemState): string {
  const box = item.doneAt ? ":white_check_mark:" : ":white_large_square:";
  const by = item.doneAt
    ? ` — ${item.doneBy ? `${mention(item.doneBy)}, ` : ""}${slackDateToken(item.doneAt)}`
    : "";
  return `${box} ${escapedWithin(item.text, 300)}${by}`;
}

/** The answer to `/incident runbook`: each checklist's progress, item by item. */
export function runbookProgressMessage(
  incident: Pick<Incident, "number">,
  checklists: IncidentChecklists | undefined,
): SlackMessage {
  const key = incidentKey(incident.number);
  if (!checklists || checklists.runbooks.length === 0)
    return messageFromBlocks([
      section(
        `${key} has no runbook checklist: no runbook applied to its type or services when it was declared.`,
      ),
    ]);
  const type = checklists.type ? ` (type ${escapeMrkdwn(checklists.type)})` : "";
  return messageFromBlocks([
    section(`*${key} runbook checklists*${type}`),
    ...checklists.runbooks.flatMap((checklist) =>
      sections(
        [
          `*${escapedWithin(checklist.title, 150)}*: ${progressText(checklist)}`,
          ...checklist.items.map(progressLine),
        ].join("\n"),
      ),
    ),
  ]);
}

/** `--type` named a type no runbook has. */
export function unknownTypeText(type: string, types: readonly string[]): string {
  const known =
    types.length > 0
      ? `The incident types are ${types.map((t) => `\`${t}\``).join(", ")}.`
      : "No runbook names an incident type yet: add `types:` to a runbook's front matter.";
  return `\`${escapeMrkdwn(type)}\` is not an incident type. ${known} Or declare without \`--type\`.`;
}

/** `/incident runbook list`: the runbooks loaded at start-up, and the files skipped with their problem. */
export function runbookLibraryMessage(library: RunbookLibrary, dir: string): SlackMessage {
  const applies = (runbook: RunbookLibrary["runbooks"][number]) =>
    [
      ...(runbook.types.length > 0 ? [`types ${runbook.types.join(", ")}`] : []),
      ...(runbook.services.length > 0 ? [`services ${runbook.services.join(", ")}`] : []),
    ].join("; ");
  const loaded =
    library.runbooks.length === 0
      ? [`No runbooks are loaded from \`${escapeMrkdwn(dir)}\`.`]
      : [
          `*Runbooks* (from \`${escapeMrkdwn(dir)}\`):`,
          ...library.runbooks.map(
            (r) =>
              `• *${escapedWithin(r.title, 150)}* (\`${r.id}\`): ${escapeMrkdwn(applies(r))}; ${r.items.length} ${r.items.length === 1 ? "item" : "items"}`,
          ),
        ];
  const skipped =
    library.problems.length === 0
      ? []
      : [
          "",
          "*Skipped at start-up* (fix the file, then restart Firebreak):",
          ...library.problems.map((p) => `• \`${escapeMrkdwn(p.file)}\`: ${escapedWithin(p.problem, 500)}`),
        ];
  return messageFromBlocks(sections([...loaded, ...skipped].join("\n")));
}

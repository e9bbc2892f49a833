import { z } from "zod";

/**
 * Runbooks per incident type: a runbook applies to incident types and/or services and carries a checklist
 * whose items have stable ids (the timeline and the checklist state name items by id, so rewording an item
 * in the file later does not orphan what was ticked). An incident's checklist is a copy of each matching
 * runbook's items taken when it was declared, with who ticked each item and when.
 */

/** Longest item text: a Slack section holds it with room for who ticked it. */
export const MAX_ITEM_TEXT = 300;
/** Items per runbook: one message holds its title, one section per item, and a footer within 50 blocks. */
export const MAX_ITEMS = 45;

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const slug = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .toLowerCase()
    .regex(SLUG, `${what} must be 1 to 64 lowercase letters, digits, - or _ (like "check-status")`);

/** A runbook's front matter, as written in its Markdown file. */
export const runbookFrontMatterSchema = z
  .object({
    title: z.string({ error: "title is required" }).trim().min(1, "title is empty").max(150),
    types: z.array(slug("each type")).max(20).default([]),
    services: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
    checklist: z
      .array(
        z.object({
          id: slug("each checklist id"),
          text: z
            .string({ error: "each checklist item needs a text" })
            .trim()
            .min(1, "a checklist item's text is empty")
            .max(MAX_ITEM_TEXT, `keep each checklist text to ${MAX_ITEM_TEXT} characters`),
        }),
        { error: "checklist must be a list of items with id and text" },
      )
      .min(1, "checklist needs at least one item")
      .max(MAX_ITEMS, `checklist has more than ${MAX_ITEMS} items`),
  })
  .superRefine((front, ctx) => {
    if (front.types.length === 0 && front.services.length === 0)
      ctx.addIssue({ code: "custom", message: "name at least one of types or services it applies to" });
    const seen = new Set<string>();
    for (const item of front.checklist) {
      if (seen.has(item.id))
        ctx.addIssue({ code: "custom", message: `checklist id "${item.id}" is used twice` });
      seen.add(item.id);
    }
  });

export interface ChecklistItem {
  id: string;
  text: string;
}

export interface Runbook {
  /** The file's name without `.md`: stable, and unique in its folder. */
  id: string;
  title: string;
  /** Incident types (`database`), lowercase. */
  types: string[];
  services: string[];
  items: ChecklistItem[];
}

export type RunbookParse = { ok: true; runbook: Runbook } | { ok: false; problem: string };

/**
 * A runbook from its file name and its parsed front matter (anything: it is outside input). The Markdown
 * after the front matter is the procedure, for people to read in the file.
 */
export function parseRunbook(fileName: string, frontMatter: unknown): RunbookParse {
  const id = fileName.replace(/\.md$/i, "").toLowerCase();
  if (!SLUG.test(id))
    return { ok: false, problem: "the file name must be lowercase letters, digits, - or _, then .md" };
  const parsed = runbookFrontMatterSchema.safeParse(frontMatter);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return `${where}${issue.message}`;
    });
    return { ok: false, problem: problems.join("; ") };
  }
  const { title, types, services, checklist } = parsed.data;
  return { ok: true, runbook: { id, title, types, services, items: checklist } };
}

/** The runbooks that apply to an incident: its type, or any of its services (compared case-insensitively). */
export function matchingRunbooks(
  runbooks: readonly Runbook[],
  incident: { type?: string | undefined; services: readonly string[] },
): Runbook[] {
  const type = incident.type?.toLowerCase();
  const services = new Set(incident.services.map((s) => s.trim().toLowerCase()));
  return runbooks.filter(
    (runbook) =>
      (type !== undefined && runbook.types.includes(type)) ||
      runbook.services.some((service) => services.has(service.toLowerCase())),
  );
}

/** Every incident type the runbooks name, sorted, once each. */
export function incidentTypes(runbooks: readonly Runbook[]): string[] {
  return [...new Set(runbooks.flatMap((runbook) => runbook.types))].sort();
}

/** An item of an incident's checklist, with who ticked it and when (unticked: neither). */
export interface ChecklistItemState extends ChecklistItem {
  doneBy?: string;
  doneAt?: Date;
}

/** One runbook's checklist on one incident. */
export interface RunbookChecklist {
  runbookId: string;
  title: string;
  items: ChecklistItemState[];
}

/** The checklists of an incident, one per runbook that applied when it was declared. */
export interface IncidentChecklists {
  incidentId: string;
  /** The incident type it was declared with, if any. */
  type?: string;
  runbooks: RunbookChecklist[];
}

export function checklistProgress(checklist: Pick<RunbookChecklist, "items">): {
  done: number;
  total: number;
} {
  return {
    done: checklist.items.filter((item) => item.doneAt !== undefined).length,
    total: checklist.items.length,
  };
}

/** The checklists as a runbook's fresh copies: nothing ticked yet. */
export function newChecklists(runbooks: readonly Runbook[]): RunbookChecklist[] {
  return runbooks.map((runbook) => ({
    runbookId: runbook.id,
    title: runbook.title,
    items: runbook.items.map(({ id, text }) => ({ id, text })),
  }));
}

import { type Connection, type Model, Schema } from "mongoose";
import type { ChangeRequest, ChangeStatus, ChangeStep, ChangeStepDone } from "../domain/change.ts";
import { isClosed } from "../domain/change.ts";
import { claimOnce } from "./claims.ts";
import { nextSequence } from "./counters.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Change requests: `changes/<workspaceId>:CHG-<n>`, read and written by `_id` only. Two small live documents
 * per workspace in `live_changes` hold a summary of each change still open (`open:<workspaceId>`, for
 * `/change list`) and of each being implemented (`implementing:<workspaceId>`, read by every declare to link
 * a possible cause), keyed `c<n>` inside, so both are one `_id` read at any history size.
 */

type ChangeDoc = Omit<ChangeRequest, "id"> & { _id: string; requestKey: string };

const approvalSchema = new Schema(
  {
    role: { type: String, required: true },
    userId: { type: String, required: true },
    decision: { type: String, required: true },
    at: { type: Date, required: true },
    reason: String,
  },
  { _id: false },
);

const statusChangeSchema = new Schema(
  {
    from: String,
    to: { type: String, required: true },
    actorId: { type: String, required: true },
    at: { type: Date, required: true },
    reason: String,
  },
  { _id: false },
);

const changeSchema = new Schema<ChangeDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    requestKey: { type: String, required: true },
    type: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: "" },
    risk: { type: String, required: true },
    scheduledAt: { type: Date, required: true },
    affectedServices: { type: [String], default: [] },
    rollbackPlan: { type: String, required: true },
    testingPlan: { type: String, required: true },
    requesterId: { type: String, required: true },
    status: { type: String, required: true },
    approvals: { type: [approvalSchema], default: [] },
    history: { type: [statusChangeSchema], default: [] },
    linkedIncidents: { type: [Number], default: [] },
  },
  { versionKey: false },
);

export function changeModel(connection: Connection): Model<ChangeDoc> {
  return connection.model<ChangeDoc>("Change", changeSchema, "changes");
}

/** What the lists and the incident link need of a change, without reading it. */
export interface ChangeSummary {
  id: string;
  number: number;
  type: ChangeRequest["type"];
  title: string;
  status: ChangeStatus;
  scheduledAt: Date;
  affectedServices: string[];
}

interface LiveChangesDoc {
  _id: string;
  changes: Record<string, ChangeSummary>;
}

const liveChangesSchema = new Schema<LiveChangesDoc>(
  { _id: { type: String, required: true }, changes: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);

export function liveChangesModel(connection: Connection): Model<LiveChangesDoc> {
  return connection.model<LiveChangesDoc>("LiveChanges", liveChangesSchema, "live_changes");
}

export const changeId = (workspaceId: string, number: number) => `${workspaceId}:CHG-${number}`;
const openSetId = (workspaceId: string) => `open:${workspaceId}`;
const implementingSetId = (workspaceId: string) => `implementing:${workspaceId}`;
const lockKey = (models: Models, id: string) => `change:${models.changes.db.name}:${id}`;

const toChange = ({ _id, requestKey: _, ...rest }: ChangeDoc): ChangeRequest => ({ id: _id, ...rest });

function summaryOf(change: ChangeRequest): ChangeSummary {
  const { id, number, type, title, status, scheduledAt, affectedServices } = change;
  return { id, number, type, title, status, scheduledAt, affectedServices };
}

/** Puts a change in (or takes it out of) one live document, queued per document in the process. */
function setLive(models: Models, setId: string, change: ChangeRequest, present: boolean): Promise<unknown> {
  const path = `changes.c${change.number}`;
  return serialised(`live-changes:${models.changes.db.name}:${setId}`, () =>
    present
      ? models.liveChanges.updateOne(
          { _id: setId },
          { $set: { [path]: summaryOf(change) } },
          { upsert: true },
        )
      : models.liveChanges.updateOne({ _id: setId }, { $unset: { [path]: 1 } }),
  );
}

async function syncLive(models: Models, change: ChangeRequest): Promise<void> {
  await Promise.all([
    setLive(models, openSetId(change.workspaceId), change, !isClosed(change.status)),
    setLive(models, implementingSetId(change.workspaceId), change, change.status === "implementing"),
  ]);
}

/**
 * Stores a new request once per `requestKey` (Slack's view id: a retried or double-submitted form is the
 * same request): the claim decides, then the number is taken. Undefined for the repeat.
 */
export async function createChange(
  models: Models,
  input: { workspaceId: string; requestKey: string },
  build: (ids: { id: string; number: number }) => ChangeRequest,
): Promise<ChangeRequest | undefined> {
  const { workspaceId, requestKey } = input;
  if (!(await claimOnce(models, `change-request:${workspaceId}:${requestKey}`))) return undefined;
  const number = await nextSequence(models.sequenceClaims, `change:${workspaceId}`);
  const change = build({ id: changeId(workspaceId, number), number });
  const { id, ...fields } = change;
  await models.changes.create({ _id: id, ...fields, requestKey });
  await syncLive(models, change);
  return change;
}

export async function getChange(models: Models, id: string): Promise<ChangeRequest | undefined> {
  const doc = await models.changes.findById(id).lean();
  return doc ? toChange(doc) : undefined;
}

/**
 * Runs one step on a change: `decide` sees the change as stored (steps on one change are queued in the
 * process), and a step it allows is claimed under its key before it is written, so a retry, a double click
 * or another process does it once. Undefined when there is no such change.
 */
export function stepChange(
  models: Models,
  id: string,
  decide: (current: ChangeRequest) => ChangeStep,
): Promise<ChangeStep | undefined> {
  return serialised(lockKey(models, id), async () => {
    const current = await getChange(models, id);
    if (!current) return undefined;
    const step = decide(current);
    if (!step.ok) return step;
    if (!(await claimOnce(models, `change-step:${id}:${step.stepKey}`)))
      return { ok: false, refusal: { kind: "already_moved", status: current.status } };
    await writeStep(models, id, step);
    await syncLive(models, step.change);
    return step;
  });
}

async function writeStep(models: Models, id: string, step: ChangeStepDone): Promise<void> {
  const push: Record<string, unknown> = {};
  if (step.approval) push.approvals = step.approval;
  if (step.statusChange) push.history = step.statusChange;
  await models.changes.updateOne({ _id: id }, { $set: { status: step.change.status }, $push: push });
}

/** Notes an incident declared while the change was being implemented (once per incident). */
export function addLinkedIncident(models: Models, id: string, incidentNumber: number): Promise<unknown> {
  return serialised(lockKey(models, id), () =>
    models.changes.updateOne({ _id: id }, { $addToSet: { linkedIncidents: incidentNumber } }),
  );
}

async function liveSet(models: Models, setId: string): Promise<ChangeSummary[]> {
  const doc = await models.liveChanges.findById(setId).lean();
  return Object.values(doc?.changes ?? {}).sort((a, b) => a.number - b.number);
}

/** The workspace's open changes (one `_id` read), oldest first. */
export const openChanges = (models: Models, workspaceId: string) => liveSet(models, openSetId(workspaceId));

/** The workspace's changes being implemented now (one `_id` read). */
export const implementingChanges = (models: Models, workspaceId: string) =>
  liveSet(models, implementingSetId(workspaceId));

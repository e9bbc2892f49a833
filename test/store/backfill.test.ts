import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { recordFiring } from "../../src/store/alert-firings.ts";
import { openKey } from "../../src/store/alert-pointers.ts";
import { getAlert } from "../../src/store/alerts.ts";
import { backfillLookups } from "../../src/store/backfill.ts";
import { useTestDatabase } from "../support/database.ts";
import { firing, POLICY, storedAlert, T0 } from "./fixtures.ts";

describe("an alert left open by a version before alerts carried their open key", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("gets its key at the next start, so a new firing counts on it instead of opening a second alert", async () => {
    // What the earlier version stored: the alert without `openUnder`, its claim naming it.
    const _id = new Types.ObjectId();
    await models().alerts.collection.insertOne({ _id, ...storedAlert("before-keys", "Opened before keys") });
    await models().claims.collection.insertOne({
      _id: openKey("generic", "before-keys") as unknown as Types.ObjectId,
      at: T0,
      meta: { alertId: _id.toString() },
    });
    // The store this test opened ran the backfill on an empty database; this start finds the old alert.
    await models().lookups.deleteOne({ _id: "backfill:alert-open-keys" });
    await backfillLookups(models());

    // A firing from a process that never saw it open (no hint) tries a new alert's insert first.
    const again = await recordFiring(models(), firing("before-keys"), {
      now: T0,
      paging: false,
      policy: POLICY,
    });
    expect(again.kind).toBe("repeated");
    expect(await models().alerts.countDocuments({ fingerprint: "before-keys" })).toBe(1);
    expect((await getAlert(models(), _id.toString()))?.fireCount).toBe(2);
  });
});

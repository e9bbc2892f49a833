import { describe, expect, it } from "vitest";
import { IntakeBatcher, type RecordAlerts } from "../../src/alerts/intake-batch.ts";
import { correlationId, withCorrelation } from "../../src/correlation.ts";
import { firing as alert } from "../store/fixtures.ts";

/** A recorder whose batches finish when the test says, failing the alerts whose fingerprint starts "bad". */
function recorder() {
  const batches: { fingerprints: string[]; ids: (string | undefined)[]; finish: () => void }[] = [];
  const record: RecordAlerts = (alerts, ids) =>
    new Promise((done) => {
      batches.push({
        fingerprints: alerts.map((a) => a.fingerprint),
        ids: [...ids],
        finish: () =>
          done(
            alerts.map((a) =>
              a.fingerprint.startsWith("bad")
                ? { status: "rejected", reason: new Error(`could not store ${a.fingerprint}`) }
                : { status: "fulfilled", value: undefined },
            ),
          ),
      });
    });
  return { batches, record };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("IntakeBatcher: concurrent webhooks' alerts are recorded together", () => {
  it("sends a lone request at once, and the requests that arrive meanwhile together in the next batch", async () => {
    const { batches, record } = recorder();
    const intake = new IntakeBatcher(record);
    const first = withCorrelation("REQ1", () => intake.take([alert("a")]));
    const second = withCorrelation("REQ2", () => intake.take([alert("b"), alert("c")]));
    const third = withCorrelation("REQ3", () => intake.take([alert("d")]));
    await settled();
    expect(batches.map((b) => b.fingerprints)).toEqual([["a"]]);
    batches[0]?.finish();
    expect(await first).toEqual({ accepted: 1 });
    await settled();
    expect(batches.map((b) => b.fingerprints)).toEqual([["a"], ["b", "c", "d"]]);
    // Each alert is recorded under its own request's correlation id, whoever started the batch.
    expect(batches[1]?.ids).toEqual(["REQ2", "REQ2", "REQ3"]);
    batches[1]?.finish();
    expect(await second).toEqual({ accepted: 2 });
    expect(await third).toEqual({ accepted: 1 });
    expect(correlationId()).toBeUndefined();
  });

  it("lets a request that gains nothing from a batch (a repeat) go at once, beside a batch being recorded", async () => {
    const { batches, record } = recorder();
    const intake = new IntakeBatcher(record, { goesAlone: (alerts) => alerts[0]?.fingerprint === "repeat" });
    const busy = intake.take([alert("new")]);
    const repeat = intake.take([alert("repeat")]);
    await settled();
    expect(batches.map((b) => b.fingerprints)).toEqual([["new"], ["repeat"]]);
    batches[1]?.finish();
    expect(await repeat).toEqual({ accepted: 1 });
    batches[0]?.finish();
    expect(await busy).toEqual({ accepted: 1 });
  });

  it("fails only the requests whose own alerts failed, so only their senders retry", async () => {
    const { batches, record } = recorder();
    const intake = new IntakeBatcher(record);
    const busy = intake.take([alert("first")]);
    const good = intake.take([alert("ok-1"), alert("ok-2")]);
    const bad = intake.take([alert("ok-3"), alert("bad-1")]);
    await settled();
    batches[0]?.finish();
    await busy;
    await settled();
    batches[1]?.finish();
    expect(await good).toEqual({ accepted: 2 });
    await expect(bad).rejects.toThrow("could not store bad-1");
    // The batcher is free again: the next request goes at once.
    const next = intake.take([alert("later")]);
    await settled();
    expect(batches).toHaveLength(3);
    batches[2]?.finish();
    expect(await next).toEqual({ accepted: 1 });
  });
});

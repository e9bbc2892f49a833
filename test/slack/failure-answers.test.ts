import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentDriver } from "../support/incident-driver.ts";
import { alice, logLineOfReference, startIncidentApp } from "../support/incident-e2e.ts";
import type { TestApp } from "../support/test-app.ts";

describe("an unexpected failure in a listener", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    ({ t, drive } = await startIncidentApp());
  });
  afterAll(() => t.stop({ keepData: true }));

  it("answers the person in words with a reference that the log line holding the error carries", async () => {
    // The database goes away under the running app.
    await t.firebreak.store.connection.destroy();
    const { responseId } = await drive.incident(alice, "list");
    const answer = await drive.answer(responseId);
    expect(answer.text).toMatch(/^:warning: Something went wrong on my side .* reference: [A-Z2-9]{6}\.$/);
    expect(answer.body.response_type).toBe("ephemeral");
    const logged = logLineOfReference(t, answer.text);
    expect(logged).toMatchObject({ level: 50, msg: "a Slack listener failed" });
    // The detail is in the log, and only there.
    const detail = JSON.stringify(logged?.err);
    expect(detail.length).toBeGreaterThan(0);
    expect(answer.text).not.toContain((logged?.err as { message?: string } | undefined)?.message ?? "-");
  });
});

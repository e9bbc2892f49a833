import { describe, expect, it } from "vitest";
import {
  EMAIL_MAX_ATTEMPTS,
  emailKindOf,
  emailRetryDelayMs,
  parseSubscribersCommand,
  publicEmail,
} from "../../src/domain/email.ts";

describe("stakeholder e-mails", () => {
  it("uses the seeds' subjects and escapes the public text in the HTML part", () => {
    const mail = publicEmail({
      kind: "update",
      severity: "sev2",
      name: "Partial outage: <checkout>",
      body: 'Update: fixed "cache" & more\nNext update soon',
      statusPageUrl: "https://status.example.com/status",
    });
    expect(mail.subject).toBe("[UPDATE] SEV2: Partial outage: <checkout>");
    expect(mail.text).toContain('Update: fixed "cache" & more');
    expect(mail.text).toContain("Status page: https://status.example.com/status");
    expect(mail.html).toContain(
      '<h1 style="font-size: 1.2em">[UPDATE] SEV2: Partial outage: &lt;checkout&gt;</h1>',
    );
    expect(mail.html).toContain("<p>Update: fixed &quot;cache&quot; &amp; more<br>Next update soon</p>");
    expect(mail.html).not.toContain("<checkout>");
  });

  it("ends with the recipient's unsubscribe link, escaped in the HTML", () => {
    const mail = publicEmail({
      kind: "resolved",
      severity: "sev1",
      name: "Major outage: checkout",
      body: "Resolved.",
      unsubscribeUrl: "https://s.example/status/unsubscribe?token=a.b&x=1",
    });
    expect(mail.text.split("\n").at(-1)).toBe(
      "Unsubscribe: https://s.example/status/unsubscribe?token=a.b&x=1",
    );
    expect(mail.html).toContain(
      '<a href="https://s.example/status/unsubscribe?token=a.b&amp;x=1">Unsubscribe</a>',
    );
  });

  it("keeps line breaks out of the subject", () => {
    expect(
      publicEmail({ kind: "initial", severity: "sev1", name: "a\r\nBcc: x@y.z", body: "" }).subject,
    ).toBe("[INCIDENT] SEV1: a Bcc: x@y.z");
  });

  it("tells the declaration and the resolution from other public updates by their keys", () => {
    expect(emailKindOf("initial")).toBe("initial");
    expect(emailKindOf("resolved:1700000000000")).toBe("resolved");
    expect(emailKindOf("update:V123")).toBe("update");
    expect(emailKindOf("reopened:1700000000000")).toBe("update");
  });

  it("waits longer after each failed attempt", () => {
    const delays = Array.from({ length: EMAIL_MAX_ATTEMPTS - 1 }, (_, i) => emailRetryDelayMs(i + 1));
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
  });

  it("parses /incident subscribers", () => {
    expect(parseSubscribersCommand("list")).toEqual({ kind: "list" });
    expect(parseSubscribersCommand("add <mailto:A@B.io|A@B.io> checkout, search checkout")).toEqual({
      kind: "add",
      address: "a@b.io",
      services: ["checkout", "search"],
    });
    expect(parseSubscribersCommand("remove a@b.io search")).toMatchObject({ kind: "remove" });
    expect(parseSubscribersCommand("add nope checkout")).toMatchObject({
      problem: "bad_address",
      given: "nope",
    });
    expect(parseSubscribersCommand("add")).toMatchObject({ problem: "missing_address" });
    expect(parseSubscribersCommand("add a@b.io")).toMatchObject({ problem: "missing_service" });
    expect(parseSubscribersCommand("list all")).toMatchObject({ problem: "unknown" });
  });
});

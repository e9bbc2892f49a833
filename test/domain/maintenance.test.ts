import { describe, expect, it } from "vitest";
import {
  checkWindowTimes,
  coversService,
  DEFAULT_MAINTENANCE_POLICY,
  dueMaintenanceStep,
  inPreferredWindow,
  parseDuration,
  parseMaintenancePolicy,
} from "../../src/domain/maintenance.ts";
import { lookupService, parseServiceList } from "../../src/domain/services.ts";

const NOW = new Date("2026-11-30T10:00:00Z");
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

describe("maintenance rules", () => {
  it("keeps the seeds' notice periods and names the earliest allowed start", () => {
    expect(
      Object.values(DEFAULT_MAINTENANCE_POLICY).map((p) => [
        p.noticeHours,
        p.approvalRequired,
        p.preferredWindow,
      ]),
    ).toEqual([
      [72, true, "weekend"],
      [24, false, "off-peak"],
      [48, true, "business-hours"],
      [168, true, "weekend"],
    ]);
    const security = DEFAULT_MAINTENANCE_POLICY.security;
    expect(checkWindowTimes({ startsAt: at(71), endsAt: at(73) }, security, NOW)).toEqual({
      kind: "short_notice",
      noticeHours: 72,
      earliestStart: at(72),
    });
    expect(checkWindowTimes({ startsAt: at(72), endsAt: at(73) }, security, NOW)).toBeUndefined();
    expect(checkWindowTimes({ startsAt: at(-1), endsAt: at(1) }, security, NOW)).toEqual({
      kind: "start_in_past",
    });
    expect(checkWindowTimes({ startsAt: at(80), endsAt: at(80) }, security, NOW)).toEqual({
      kind: "end_before_start",
    });
  });

  it("reads overrides of the types' policy, and says what is wrong with bad ones", () => {
    const parsed = parseMaintenancePolicy('{"security":{"noticeHours":48}}');
    expect(parsed.ok && parsed.value.security).toMatchObject({ noticeHours: 48, approvalRequired: true });
    expect(parseMaintenancePolicy('{"database":{}}')).toMatchObject({ ok: false });
    expect(parseMaintenancePolicy("{")).toEqual({ ok: false, problems: ["is not valid JSON"] });
  });

  it("runs the reminder, then the start, then the end; a missed reminder gives way to the start", () => {
    const window = { state: "scheduled" as const, startsAt: at(2), endsAt: at(3) };
    expect(dueMaintenanceStep(window, HOUR, at(0.9))).toBeUndefined();
    expect(dueMaintenanceStep(window, HOUR, at(1))).toBe("remind");
    expect(dueMaintenanceStep({ ...window, remindedAt: at(1) }, HOUR, at(1.5))).toBeUndefined();
    expect(dueMaintenanceStep(window, HOUR, at(2))).toBe("start");
    expect(dueMaintenanceStep({ ...window, state: "active" }, HOUR, at(2.5))).toBeUndefined();
    expect(dueMaintenanceStep({ ...window, state: "active" }, HOUR, at(3))).toBe("end");
    expect(dueMaintenanceStep({ ...window, state: "pending" }, HOUR, at(3))).toBeUndefined();
  });

  it("covers a service by name, case-insensitively, only while the window runs", () => {
    const window = { startsAt: at(0), endsAt: at(1), services: ["Checkout"] };
    expect(coversService(window, "checkout", at(0.5))).toBe(true);
    expect(coversService(window, "checkout", at(1))).toBe(false);
    expect(coversService(window, "payments", at(0.5))).toBe(false);
    expect(coversService(window, "", at(0.5))).toBe(false);
  });

  it("reads durations and preferred windows", () => {
    expect([
      parseDuration("30m"),
      parseDuration("2h"),
      parseDuration("1h30m"),
      parseDuration("90min"),
    ]).toEqual([30 * 60_000, 2 * HOUR, 90 * 60_000, 90 * 60_000]);
    expect([parseDuration("soon"), parseDuration("0m"), parseDuration("")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const saturdayNight = new Date("2026-12-05T23:00:00Z");
    expect(inPreferredWindow(saturdayNight, "weekend", "UTC")).toBe(true);
    expect(inPreferredWindow(saturdayNight, "business-hours", "UTC")).toBe(false);
    expect(inPreferredWindow(saturdayNight, "off-peak", "UTC")).toBe(true);
  });
});

describe("the service catalog", () => {
  it("accepts any name when none is configured, else the catalog's spelling or close names", () => {
    expect(lookupService([], "anything")).toEqual({ ok: true, name: "anything" });
    const catalog = parseServiceList("checkout, payments-api, Payments ,search,");
    expect(catalog).toEqual(["checkout", "payments-api", "Payments", "search"]);
    expect(lookupService(catalog, "CHECKOUT")).toEqual({ ok: true, name: "checkout" });
    expect(lookupService(catalog, "payment")).toEqual({
      ok: false,
      suggestions: ["Payments", "payments-api"],
    });
    expect(lookupService(catalog, "zzz")).toEqual({ ok: false, suggestions: [] });
  });
});

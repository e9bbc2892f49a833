import { describe, expect, it } from "vitest";
import { type CronFields, previousCronTime } from "../../src/domain/cron.ts";

const ALL_DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const ALL_MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const fields = (overrides: Partial<CronFields>): CronFields => ({
  minute: [0],
  hour: [9],
  dayOfMonth: ALL_DAYS,
  month: ALL_MONTHS,
  dayOfWeek: [0, 1, 2, 3, 4, 5, 6],
  ...overrides,
});
const WEEKDAYS_AT_NINE = fields({ dayOfWeek: [1, 2, 3, 4, 5] });

describe("the latest scheduled time of a cron expression", () => {
  it("is the scheduled minute itself once it has come", () => {
    const at = new Date("2026-11-23T09:00:30Z"); // Monday
    expect(previousCronTime(WEEKDAYS_AT_NINE, "Europe/London", at)).toEqual(new Date("2026-11-23T09:00:00Z"));
  });

  it("skips the weekend before Monday's", () => {
    const at = new Date("2026-11-23T08:59:00Z");
    expect(previousCronTime(WEEKDAYS_AT_NINE, "Europe/London", at)).toEqual(new Date("2026-11-20T09:00:00Z"));
  });

  it("reads the hours in the time zone (summer time in London is UTC+1)", () => {
    const at = new Date("2026-07-01T12:00:00Z");
    expect(previousCronTime(WEEKDAYS_AT_NINE, "Europe/London", at)).toEqual(new Date("2026-07-01T08:00:00Z"));
  });

  it("runs on either day field when both are restricted, as cron does", () => {
    // The 13th or a Friday: Friday 2026-11-20 comes after Friday the 13th.
    const thirteenthOrFriday = fields({ dayOfMonth: [13], dayOfWeek: [5] });
    expect(previousCronTime(thirteenthOrFriday, "UTC", new Date("2026-11-19T00:00:00Z"))).toEqual(
      new Date("2026-11-13T09:00:00Z"),
    );
    expect(previousCronTime(fields({ dayOfMonth: [1] }), "UTC", new Date("2026-11-19T00:00:00Z"))).toEqual(
      new Date("2026-11-01T09:00:00Z"),
    );
  });

  it("finds none past its look-back", () => {
    expect(
      previousCronTime(fields({ month: [2], dayOfMonth: [30] }), "UTC", new Date("2026-11-19T00:00:00Z")),
    ).toBe(undefined);
  });
});

import { describe, expect, it } from "vitest";
import { humanDuration } from "../../src/domain/duration.ts";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe("humanDuration", () => {
  it.each([
    [0, "0 s"],
    [999, "0 s"],
    [S, "1 s"],
    [45 * S + 999, "45 s"],
    [MIN, "1 min"],
    [MIN + 5 * S, "1 min 5 s"],
    [12 * MIN, "12 min"],
    [12 * MIN + 59 * S + 999, "12 min 59 s"],
    [H, "1 h"],
    [H + 30 * S, "1 h"],
    [H + 12 * MIN, "1 h 12 min"],
    [H + 12 * MIN + 40 * S, "1 h 12 min"],
    [23 * H + 59 * MIN + 59 * S, "23 h 59 min"],
    [D, "1 d"],
    [D + 5 * MIN, "1 d"],
    [3 * D + 4 * H, "3 d 4 h"],
    [3 * D + 4 * H + 59 * MIN, "3 d 4 h"],
    [400 * D + H, "400 d 1 h"],
  ])("%i ms → %j", (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });

  it.each([-1, -H, Number.NaN, Number.POSITIVE_INFINITY])("%d throws", (ms) => {
    expect(() => humanDuration(ms)).toThrow(RangeError);
  });
});

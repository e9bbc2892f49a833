import type { Clock } from "../../src/domain/clock.ts";

/** A clock that moves only when a test says so. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-11-23T09:00:00Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}

/** Time comes from here, never from `new Date()` in domain or job code, so tests can move it without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

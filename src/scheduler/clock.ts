/** Where the desk's "now" comes from: the wall clock, or a compressed one for demos. */
export interface Clock {
  now(): Date;
  /** Simulated seconds per real second (1 for the wall clock). */
  readonly speed: number;
}

export const systemClock: Clock = { now: () => new Date(), speed: 1 };

/**
 * A clock that runs `speed` times faster than real time from `start`, so a newcomer sees a 48-hour
 * call resolve in minutes. Only ever used with the simulated market, which has data for any moment.
 */
export function demoClock(speed: number, start: Date = new Date(), realNow: () => number = Date.now): Clock {
  const realStart = realNow();
  return { speed, now: () => new Date(start.getTime() + (realNow() - realStart) * speed) };
}

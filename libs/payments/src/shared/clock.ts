// The clock is injected everywhere a business rule depends on "now" (limits, night window, EndToEndId, fraud hour).
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock frozen at `at` (tests: "it is 23:00 in São Paulo"). */
export const fixedClock = (at: Date): Clock => () => new Date(at.getTime());

/** A clock that runs at real speed from `start` (tests that need a given hour but distinct timestamps). */
export function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

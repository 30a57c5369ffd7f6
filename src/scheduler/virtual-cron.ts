import cronParser from "cron-parser";
import type { Clock } from "./clock.ts";

/**
 * A cron schedule evaluated against a compressed demo clock (node-schedule only knows the wall
 * clock). Every real tick it fires each occurrence the demo clock has passed, at that occurrence's time.
 */
export class VirtualCron {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly expression: string,
    private readonly timezone: string,
    private readonly clock: Clock,
    private readonly tickMs = 1_000,
  ) {}

  start(fire: (at: Date) => void): { cancel(): boolean } {
    const occurrences = cronParser.parseExpression(this.expression, {
      currentDate: this.clock.now(),
      tz: this.timezone,
    });
    let next = occurrences.next().toDate();
    this.timer = setInterval(() => {
      // At most one cycle per tick, so a long pause never replays a backlog of stale cycles at once.
      if (this.clock.now() < next) return;
      fire(next);
      do next = occurrences.next().toDate();
      while (next <= this.clock.now());
    }, this.tickMs);
    return {
      cancel: () => {
        clearInterval(this.timer);
        return true;
      },
    };
  }
}

import type { MiddlewareHandler } from "hono";

export interface ConcurrencyLimitOptions {
  /** Requests rendering at once. */
  max: number;
  /** Requests waiting for a turn; one more is answered 503 at once. */
  queue: number;
  /** What the 503's Retry-After header says, in seconds. */
  retryAfterSeconds: number;
  /** Requests this limit leaves alone. */
  skip?: (path: string) => boolean;
}

/**
 * Up to `max` holders at once and up to `queue` waiting their turn in order; `enter` answers false at
 * once beyond that. Each true `enter` is paired with one `leave`.
 */
export function admission(options: Pick<ConcurrencyLimitOptions, "max" | "queue">) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async enter(): Promise<boolean> {
      if (running < options.max) running += 1;
      else if (waiting.length < options.queue) await new Promise<void>((resolve) => waiting.push(resolve));
      else return false;
      return true;
    },
    leave(): void {
      const nextInLine = waiting.shift();
      if (nextInLine)
        nextInLine(); // the slot passes straight on: `running` stays the same
      else running -= 1;
    },
  };
}

/**
 * Bounds the requests rendering at once, so a flood of expensive pages cannot take the event loop
 * and the database pool from the bots: up to `max` run, up to `queue` wait their turn in order, and
 * the rest are told to come back later (503 with Retry-After) without any work done.
 */
export function concurrencyLimit(options: ConcurrencyLimitOptions): MiddlewareHandler {
  const slots = admission(options);
  return async (c, next) => {
    if (options.skip?.(c.req.path)) return next();
    if (!(await slots.enter())) {
      c.header("Retry-After", String(options.retryAfterSeconds));
      return c.text("busy: try again shortly", 503);
    }
    try {
      await next();
    } finally {
      slots.leave();
    }
  };
}

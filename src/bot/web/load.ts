import type { MiddlewareHandler } from "hono";
import { dataVersion } from "../../store/data-version.ts";
import { acksSettled } from "../after-ack.ts";
import { responseCache } from "./cache.ts";
import type { WebDeps } from "./deps.ts";
import { isProbe, uncacheable } from "./freshness.ts";
import { concurrencyLimit } from "./limits.ts";

/**
 * Acks first: while the bots acknowledge a burst, pages wait (a flood's clients, each waiting for its
 * answer, then send nothing new), up to the hold acksSettled allows.
 */
export const acksFirst: MiddlewareHandler = async (_c, next) => {
  await acksSettled();
  await next();
};

/**
 * What keeps the web view from starving the bots on the same event loop: no page while acks are
 * under way, pages and charts served from memory until the data changes, and at most a few renders
 * at once, the rest queued briefly or told to retry (503). Mounted after the probes and before
 * every page.
 */
export function webLoadGuards(deps: WebDeps): MiddlewareHandler[] {
  const { maxRenders = 2, queue = 8, versionMaxAgeMs = 0 } = deps.load ?? {};
  return [
    acksFirst,
    responseCache({
      version: () => dataVersion(deps.db.prisma),
      versionMaxAgeMs,
      skip: uncacheable,
    }),
    concurrencyLimit({ max: maxRenders, queue, retryAfterSeconds: 2, skip: isProbe }),
  ];
}

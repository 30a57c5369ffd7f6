import type { CommandSettings } from "../../commands/context.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Database } from "../../store/database.ts";

/** Liveness of the parts the web server does not own. */
export interface HealthParts {
  scheduler: boolean;
  surfaces: Record<string, boolean>;
}

export interface WebDeps {
  db: Database;
  health: () => HealthParts;
  /** Absolute base of links in the RSS feed; the request's own origin when left out. */
  publicUrl?: string;
  /** The same rules chat commands apply (leaderboard floor); defaults when left out. */
  settings?: CommandSettings;
  /** Where a failed request is logged, one JSON line each; a JSON logger to stdout when left out. */
  log?: Logger;
  /**
   * Renders at once and requests waiting for one (see load.ts), 2 and 8 when left out; how long a
   * read of the data version is reused (ms), 0 when left out: every request reads it.
   */
  load?: { maxRenders?: number; queue?: number; versionMaxAgeMs?: number };
  /** The desk's clock (simulated under DEMO_SPEED), so "locked" means what it means to the desk; wall clock when left out. */
  clock?: { now(): Date };
  /**
   * A market the call charts may read daily bars from, beside the prices the store holds. Only one
   * that answers without a request (the simulated market in demo mode): a page view never fetches.
   */
  market?: QuotePort;
}

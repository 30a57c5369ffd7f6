import type { CommandSettings } from "../../commands/context.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Database } from "../../store/database.ts";

export interface WebDeps {
  db: Database;
  /** Liveness of the parts the web server does not own. */
  health: () => { scheduler: boolean; surfaces: Record<string, boolean> };
  /** Absolute base of links in the RSS feed; the request's own origin when left out. */
  publicUrl?: string;
  /** The same rules chat commands apply (leaderboard floor); defaults when left out. */
  settings?: CommandSettings;
  /** Where a failed request is logged, one JSON line each; a JSON logger to stdout when left out. */
  log?: Logger;
  /** The desk's clock (simulated under DEMO_SPEED), so "locked" means what it means to the desk; wall clock when left out. */
  clock?: { now(): Date };
  /**
   * A market the call charts may read daily bars from, beside the prices the store holds. Only one
   * that answers without a request (the simulated market in demo mode): a page view never fetches.
   */
  market?: QuotePort;
}

import type { types, webApi } from "@slack/bolt";
import type { CommandSettings, RunNowResult } from "../../commands/context.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { ServerRow } from "../../store/client.ts";
import type { Database } from "../../store/database.ts";

/** What the adapter needs from the runtime: DeskRuntime satisfies it; tests pass a fake. */
export interface DeskPort {
  runCycleNow(server: ServerRow): Promise<RunNowResult>;
  /** Re-reads the server's schedule and timezone after /config changed them. */
  schedule(server: ServerRow): void;
}

export interface SlackDeps {
  db: Database;
  quotes: QuotePort;
  settings: CommandSettings;
  desk: DeskPort;
  /** The web view's address: dispatch and trail links point there. */
  publicUrl: string;
  /** Symbols a new workspace starts with; undefined means the market defaults. */
  symbols: readonly string[] | undefined;
  /** User group (S…) that moderates a new workspace besides its admins. */
  moderatorGroup: string | undefined;
  log: Logger;
  now?: () => Date;
}

/** Bolt re-exports the Web API and Block Kit types; the packages themselves are Bolt's dependencies. */
export type SlackClient = webApi.WebClient;
export type Block = types.KnownBlock;

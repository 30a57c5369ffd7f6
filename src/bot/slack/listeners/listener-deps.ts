import type { CommandCore } from "../../../commands/core.ts";
import type { Logger } from "../../../log.ts";

/** What every listener works with: the command core it translates Slack requests into, and where links point. */
export interface ListenerDeps {
  core: CommandCore;
  /** The web view's address: dispatch and trail links point there. */
  publicUrl: string;
  /** User group (S…) that moderates a new workspace besides its admins. */
  moderatorGroup: string | undefined;
  log: Logger;
}

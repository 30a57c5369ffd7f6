// The member rules are the same on every chat surface; the Discord launcher already derives them.
import { commandSettings } from "../../commands/settings.ts";
import type { Config, SlackConfig } from "../../config/index.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Clock } from "../../scheduler/clock.ts";
import type { Database } from "../../store/database.ts";
import { createSlackBot, type SlackBot } from "./app.ts";

/** `npm start`'s Slack wiring: the bot from configuration, on the runtime's clock and market. */
export function slackFromConfig(
  config: Config & { slack: SlackConfig },
  wiring: { db: Database; quotes: QuotePort; clock: Clock; log: Logger },
): SlackBot {
  return createSlackBot(config.slack, {
    db: wiring.db,
    quotes: wiring.quotes,
    settings: commandSettings(config),
    publicUrl: config.publicUrl,
    symbols: config.market.symbols,
    moderatorGroup: config.slack.moderatorGroup,
    log: wiring.log,
    now: () => wiring.clock.now(),
  });
}

import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from "discord.js";
import type { PredictOptions } from "../../commands/predict.ts";

/**
 * Every slash command the bot has, declared once. `register-commands` PUTs exactly this list (one
 * request replaces the whole set), and the executors in execute.ts are keyed by these names.
 * Metadata lives apart from code so registering needs no database or client.
 */

/** What the /predict `claim` choice means as a call's question fields. */
export const CLAIMS = {
  up: { kind: "direction", direction: "up" },
  down: { kind: "direction", direction: "down" },
  above: { kind: "threshold", comparator: "above" },
  below: { kind: "threshold", comparator: "below" },
  touches_above: { kind: "touch", comparator: "above" },
  touches_below: { kind: "touch", comparator: "below" },
  holds_above: { kind: "hold", comparator: "above" },
  holds_below: { kind: "hold", comparator: "below" },
  outperforms: { kind: "relative", direction: "outperform" },
  underperforms: { kind: "relative", direction: "underperform" },
} as const satisfies Record<string, Pick<PredictOptions, "kind" | "direction" | "comparator">>;

const CLAIM_LABELS: Record<keyof typeof CLAIMS, string> = {
  up: "higher than now (↑)",
  down: "lower than now (↓)",
  above: "closes above the level",
  below: "closes below the level",
  touches_above: "touches the level from below",
  touches_below: "touches the level from above",
  holds_above: "stays above the level throughout",
  holds_below: "stays below the level throughout",
  outperforms: "outperforms the versus symbol",
  underperforms: "underperforms the versus symbol",
};

/** Hours; /predict's `deadline` option covers anything else (eod, friday, a date). */
const HORIZONS: [string, number][] = [
  ["4 hours", 4],
  ["1 day (24h)", 24],
  ["2 days (48h)", 48],
  ["3 days (72h)", 72],
  ["1 week", 168],
  ["2 weeks", 336],
  ["1 month (30 days)", 720],
];

const predict = new SlashCommandBuilder()
  .setName("predict")
  .setDescription("Make your own call: scored at its deadline from market data")
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o.setName("symbol").setDescription("A symbol this server tracks").setRequired(true).setAutocomplete(true),
  )
  .addStringOption((o) =>
    o
      .setName("claim")
      .setDescription("What you say happens")
      .setRequired(true)
      .addChoices(Object.entries(CLAIM_LABELS).map(([value, name]) => ({ name, value }))),
  )
  .addIntegerOption((o) =>
    o
      .setName("probability")
      .setDescription("How sure you are, in percent (50-99)")
      .setRequired(true)
      .setMinValue(50)
      .setMaxValue(99),
  )
  .addIntegerOption((o) =>
    o
      .setName("horizon")
      .setDescription("How long until it is judged")
      .addChoices(HORIZONS.map(([name, value]) => ({ name, value }))),
  )
  .addStringOption((o) =>
    o
      .setName("deadline")
      .setDescription("Instead of a horizon: eod, tomorrow, friday, 2026-12-31")
      .setMaxLength(40),
  )
  .addNumberOption((o) =>
    o.setName("level").setDescription("The price level (above/below/touches/holds)").setMinValue(0),
  )
  .addStringOption((o) =>
    o
      .setName("versus")
      .setDescription("The symbol compared with (outperforms/underperforms)")
      .setAutocomplete(true),
  )
  .addStringOption((o) => o.setName("note").setDescription("Why, in a line").setMaxLength(280));

const trail = new SlashCommandBuilder()
  .setName("trail")
  .setDescription("A record: yours, a member's, the desk's, or one call's full chain")
  .setContexts(InteractionContextType.Guild)
  .addUserOption((o) => o.setName("member").setDescription("Whose record (default: yours)"))
  .addIntegerOption((o) => o.setName("call").setDescription("A call number, e.g. 1841").setMinValue(1))
  .addBooleanOption((o) =>
    o.setName("desk").setDescription("The desk's record by mind, regime, asset, horizon"),
  );

const leaderboard = new SlashCommandBuilder()
  .setName("leaderboard")
  .setDescription("Who beats the desk: summed baseline score")
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o
      .setName("season")
      .setDescription("current, all, or a month such as 2026-03")
      .setAutocomplete(true)
      .setMaxLength(10),
  );

const cycle = new SlashCommandBuilder()
  .setName("cycle")
  .setDescription("The desk's cycle (moderators)")
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((s) => s.setName("now").setDescription("Run a cycle now and post its dispatch"));

const config = new SlashCommandBuilder()
  .setName("config")
  .setDescription("Show or change the desk's settings on this server (moderators)")
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addChannelOption((o) =>
    o
      .setName("channel")
      .setDescription("Where dispatches are posted")
      .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
  )
  .addStringOption((o) => o.setName("schedule").setDescription('Cron, e.g. "5 10,13,15 * * 1-5"'))
  .addStringOption((o) => o.setName("timezone").setDescription("IANA timezone, e.g. America/New_York"))
  .addStringOption((o) => o.setName("symbols").setDescription("Tickers, e.g. SPY, QQQ, BTC"))
  .addRoleOption((o) =>
    o.setName("moderator_role").setDescription("The role that may run /cycle and /config"),
  )
  .addBooleanOption((o) =>
    o.setName("clear_moderator_role").setDescription("Only Manage Server may moderate again"),
  )
  .addStringOption((o) => o.setName("agree_emoji").setDescription("The reaction that agrees, e.g. 👍"))
  .addStringOption((o) => o.setName("fade_emoji").setDescription("The reaction that fades, e.g. 👎"))
  .addBooleanOption((o) =>
    o.setName("verdict_in_thread").setDescription("Post verdicts in a thread on the dispatch"),
  );

export const COMMAND_NAMES = ["predict", "trail", "leaderboard", "cycle", "config"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The whole set, in the shape Discord's bulk-overwrite endpoint takes. */
export function commandData(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [predict, trail, leaderboard, cycle, config].map((c) => c.toJSON());
}

import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  HTTPError,
  type Interaction,
  RESTJSONErrorCodes,
} from "discord.js";
import { isRefusal } from "../../commands/declaration.ts";
import { commandNamed } from "../../commands/registry.ts";
import { seasonOf } from "../../domain/call-record.ts";
import { button, counterCall } from "./buttons.ts";
import { answerCommand } from "./command-answers.ts";
import { type DiscordDeps, serverOf } from "./context.ts";
import { optionValuesOf } from "./option-values.ts";
import { errorReply } from "./replies.ts";
import { send } from "./respond.ts";

/** Errors that mean the interaction is already gone or answered: nothing to tell the member. */
const EXPECTED = new Set<number | string>([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
]);

/** Routes one interaction to its handler; an unexpected failure becomes a private apology. */
export async function handleInteraction(deps: DiscordDeps, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await autocomplete(deps, interaction);
    if (!interaction.isRepliable()) return;
    if (!interaction.inGuild()) {
      await send(interaction, errorReply("Tapereader works inside a server, not in direct messages."));
      return;
    }
    if (interaction.isChatInputCommand()) return await slashCommand(deps, interaction);
    if (interaction.isButton()) return await button(deps, interaction);
    if (interaction.isModalSubmit()) return await counterCall(deps, interaction);
  } catch (error) {
    if (error instanceof DiscordAPIError && EXPECTED.has(error.code)) {
      deps.log.warn(
        { code: error.code, interaction: interaction.id },
        "interaction expired before the answer",
      );
      return;
    }
    deps.log.error({ err: error, interaction: interaction.id }, "interaction failed");
    if (!interaction.isRepliable()) return;
    // A public "thinking…" must not stay up over a private apology.
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await send(interaction, errorReply(apologyFor(error))).catch(() => undefined);
  }
}

/**
 * A failure of Discord's own API (a 5xx beyond discord.js's retries, a timeout) comes after the
 * desk's work, which may have saved the call: the apology must not say nothing was saved.
 */
function apologyFor(error: unknown): string {
  const discordFailed =
    error instanceof HTTPError ||
    error instanceof DiscordAPIError ||
    (error instanceof Error && error.name === "AbortError");
  return discordFailed
    ? "Discord did not take the desk's answer. What you sent may already be saved: check /trail before trying again."
    : "Something failed on the desk's side; nothing was saved. Try again shortly.";
}

/** A slash command, by name from the registry: its declared options read, then run by the core. */
async function slashCommand(deps: DiscordDeps, interaction: ChatInputCommandInteraction<"cached" | "raw">) {
  const command = commandNamed(interaction.commandName);
  if (!command?.slash)
    return send(interaction, errorReply(`/${interaction.commandName} is not a Tapereader command.`));
  const values = optionValuesOf(interaction.options, command.slash.options);
  const options = isRefusal(values) ? values : command.slash.fromOptions(values);
  if (isRefusal(options)) return send(interaction, errorReply(options.error));
  await answerCommand(deps, interaction, command, options);
}

/** How many months back the season picker offers, besides "current" and "all". */
const RECENT_SEASONS = 6;

/** Offers what the focused option declares: the server's symbols, or recent seasons. */
async function autocomplete(deps: DiscordDeps, interaction: AutocompleteInteraction) {
  if (!interaction.inGuild()) return interaction.respond([]);
  const focused = interaction.options.getFocused(true);
  const spec = commandNamed(interaction.commandName)?.slash?.options.find((o) => o.name === focused.name);
  const offers = spec?.type === "string" ? spec.autocomplete : undefined;
  const typed = focused.value.trim().toUpperCase();
  let values: string[] = [];
  if (offers === "seasons") {
    const now = deps.core.now();
    const months = Array.from({ length: RECENT_SEASONS }, (_, back) =>
      seasonOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))),
    );
    values = ["current", "all", ...months].filter((v) => v.toUpperCase().startsWith(typed));
  } else if (offers === "symbols") {
    const server = await serverOf(deps, interaction.guildId, interaction.guild);
    values = server.symbols.filter((s) => s.includes(typed));
  }
  await interaction.respond(values.slice(0, 25).map((v) => ({ name: v, value: v })));
}

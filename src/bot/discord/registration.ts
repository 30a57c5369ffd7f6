import {
  type ApplicationCommandOptionBase,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from "discord.js";
import type { AnyCommand, OptionSpec } from "../../commands/declaration.ts";
import { SLASH_COMMANDS } from "../../commands/registry.ts";

/**
 * What `register-commands` PUTs (one request replaces the whole set): every command with a slash
 * form, built from its declaration. Nothing here needs a database or a gateway client.
 */
export function commandData(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return SLASH_COMMANDS.map((command) => slashCommandOf(command).toJSON());
}

function slashCommandOf(command: AnyCommand): SlashCommandBuilder {
  const { slash } = command;
  if (!slash) throw new Error(`${command.name} has no slash form`);
  const builder = new SlashCommandBuilder()
    .setName(command.name)
    .setDescription(slash.description)
    .setContexts(InteractionContextType.Guild);
  // Discord hides moderator commands from everyone else by default; the core checks again.
  if (command.access === "moderator") builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  const { subcommand } = slash;
  if (!subcommand) {
    for (const spec of slash.options) addOption(builder, spec);
    return builder;
  }
  builder.addSubcommand((s) => {
    s.setName(subcommand.name).setDescription(subcommand.description);
    for (const spec of slash.options) addOption(s, spec);
    return s;
  });
  return builder;
}

/** Adds one declared option, of its type, to a command or subcommand (builders change in place). */
function addOption(target: SlashCommandBuilder | SlashCommandSubcommandBuilder, spec: OptionSpec): void {
  const named = <Option extends ApplicationCommandOptionBase>(option: Option) =>
    option
      .setName(spec.name)
      .setDescription(spec.description)
      .setRequired(spec.required ?? false);
  switch (spec.type) {
    case "string":
      target.addStringOption((o) => {
        named(o);
        if (spec.choices) o.addChoices(...spec.choices);
        if (spec.maxLength !== undefined) o.setMaxLength(spec.maxLength);
        // The flag only where values are offered: elsewhere the registered JSON leaves it out.
        return spec.autocomplete ? o.setAutocomplete(true) : o;
      });
      return;
    case "integer":
      target.addIntegerOption((o) => {
        named(o);
        if (spec.choices) o.addChoices(...spec.choices);
        if (spec.min !== undefined) o.setMinValue(spec.min);
        return spec.max === undefined ? o : o.setMaxValue(spec.max);
      });
      return;
    case "number":
      target.addNumberOption((o) => (spec.min === undefined ? named(o) : named(o).setMinValue(spec.min)));
      return;
    case "boolean":
      target.addBooleanOption(named);
      return;
    case "user":
      target.addUserOption(named);
      return;
    case "role":
      target.addRoleOption(named);
      return;
    case "channel":
      // Dispatches are posted where members read: text and announcement channels.
      target.addChannelOption((o) =>
        named(o).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      );
  }
}

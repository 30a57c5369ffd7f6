import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.ts";
import { type CliCommand, UsageError } from "../command.ts";

/**
 * One PUT replaces the bot's whole command set, so a command removed from the registry disappears
 * too. Guild commands show at once (development); global ones can take up to an hour to reach
 * every client (production).
 */
export const registerCommandsCommand: CliCommand = {
  name: "register-commands",
  summary: "Replace the bot's Discord slash commands: in one guild with --guild (instant), global otherwise",
  usage: "register-commands [--guild <guild id>]",
  async run(args) {
    const { values } = parseArgs({ args, options: { guild: { type: "string" } } });
    if (values.guild !== undefined && !/^\d{17,20}$/.test(values.guild))
      throw new UsageError(`--guild needs a guild id (a 17-20 digit snowflake), got "${values.guild}".`);
    const { discord } = loadConfig();
    if (!discord) throw new UsageError("register-commands needs DISCORD_TOKEN (see .env.example).");
    // Loaded here, not at the top: every CLI command's module loads with `start`, which needs no discord.js
    // unless DISCORD_TOKEN is set.
    const { REST, Routes } = await import("discord.js");
    const { commandData } = await import("../../bot/discord/registration.ts");
    const rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
    const applicationId =
      discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
    const route = values.guild
      ? Routes.applicationGuildCommands(applicationId, values.guild)
      : Routes.applicationCommands(applicationId);
    const saved = (await rest.put(route, { body: commandData() })) as { name: string }[];
    const where = values.guild ? `in guild ${values.guild}` : "globally (may take up to an hour to show)";
    process.stdout.write(
      `Registered ${saved.length} commands ${where}: ${saved.map((c) => `/${c.name}`).join(", ")}\n`,
    );
    return 0;
  },
};

import { parseArgs } from "node:util";
import { BOT_PERMISSIONS, botPermissions, inviteUrl } from "../../bot/discord/invite.ts";
import { loadConfig } from "../../config/index.ts";
import { type CliCommand, UsageError } from "../command.ts";

const SNOWFLAKE = /^\d{17,20}$/;

export const inviteUrlCommand: CliCommand = {
  name: "invite-url",
  summary: "Print the URL that adds the Discord bot to a server, with the permission integer it needs",
  usage: "invite-url [--client-id <application id>]",
  async run(args) {
    const { values } = parseArgs({ args, options: { "client-id": { type: "string" } } });
    const clientId = values["client-id"] ?? loadConfig().discordApplicationId;
    if (clientId === undefined)
      throw new UsageError(
        "invite-url needs the application id: set DISCORD_APPLICATION_ID (General Information → Application ID in the Developer Portal) or pass --client-id.",
      );
    if (!SNOWFLAKE.test(clientId))
      throw new UsageError(
        `--client-id needs the application's id (a 17-20 digit snowflake), got "${clientId}".`,
      );
    const permissions = botPermissions().bitfield.toString();
    const lines = [
      inviteUrl(clientId),
      "",
      `Scopes: bot, applications.commands. Permissions ${permissions}, exactly:`,
      ...BOT_PERMISSIONS.map((p) => `  ${p.name}: ${p.why}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};

import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from "discord.js";

/**
 * Every permission the bot uses, and why; the invite asks for exactly these, so a server owner sees
 * nothing the bot does not need (no Administrator, no privileged intent).
 */
export const BOT_PERMISSIONS = [
  { flag: PermissionFlagsBits.ViewChannel, name: "View Channel", why: "see the dispatch channel" },
  { flag: PermissionFlagsBits.SendMessages, name: "Send Messages", why: "post dispatches and verdicts" },
  { flag: PermissionFlagsBits.EmbedLinks, name: "Embed Links", why: "dispatches are embeds" },
  { flag: PermissionFlagsBits.AttachFiles, name: "Attach Files", why: "leaderboard and calibration charts" },
  { flag: PermissionFlagsBits.AddReactions, name: "Add Reactions", why: "seed the agree/fade reactions" },
  {
    flag: PermissionFlagsBits.ReadMessageHistory,
    name: "Read Message History",
    why: "edit its posts as members answer",
  },
  {
    flag: PermissionFlagsBits.ManageMessages,
    name: "Manage Messages",
    why: "take back a reaction refused after a call's lock",
  },
  {
    flag: PermissionFlagsBits.CreatePublicThreads,
    name: "Create Public Threads",
    why: "verdicts in a thread (verdictInThread)",
  },
  {
    flag: PermissionFlagsBits.SendMessagesInThreads,
    name: "Send Messages in Threads",
    why: "post those verdicts",
  },
] as const;

/** The permission integer Discord's invite takes: the bitwise OR of BOT_PERMISSIONS. */
export function botPermissions(): PermissionsBitField {
  return new PermissionsBitField(BOT_PERMISSIONS.map((p) => p.flag));
}

/** The OAuth2 URL that adds the bot to a server with its slash commands and exactly its permissions. */
export function inviteUrl(clientId: string): string {
  const url = new URL("https://discord.com/oauth2/authorize");
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("scope", [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "));
  url.searchParams.set("permissions", botPermissions().bitfield.toString());
  return url.toString();
}

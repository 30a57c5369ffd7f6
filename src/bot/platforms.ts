import type { Config } from "../config/index.ts";
import type { ChatConnection, ChatPlatform, ChatPlatformKit } from "./chat-platform.ts";

/**
 * Every chat platform the desk can speak on: a new one is its adapter folder and a line here. Each
 * adapter is loaded only when its settings are present: discord.js and Bolt cost tens of MB of memory
 * each, which a desk without them should not carry.
 */
const CHAT_PLATFORMS: readonly {
  configured: (config: Config) => boolean;
  load: () => Promise<ChatPlatform>;
}[] = [
  {
    configured: (config) => Boolean(config.discord),
    load: async () => (await import("./discord/platform.ts")).discordPlatform,
  },
  {
    configured: (config) => Boolean(config.slack),
    load: async () => (await import("./slack/platform.ts")).slackPlatform,
  },
];

/** The connections of every platform whose settings are present, not yet connected. */
export async function openChatPlatforms(kit: ChatPlatformKit): Promise<ChatConnection[]> {
  const configured = CHAT_PLATFORMS.filter((entry) => entry.configured(kit.config));
  const platforms = await Promise.all(configured.map((entry) => entry.load()));
  return platforms.flatMap((platform) => platform.open(kit) ?? []);
}

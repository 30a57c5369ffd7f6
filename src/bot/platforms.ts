import type { ChatPlatform } from "./chat-platform.ts";
import { discordPlatform } from "./discord/platform.ts";
import { slackPlatform } from "./slack/platform.ts";

/** Every chat platform the desk can speak on: a new one is its adapter folder and a line here. */
export const CHAT_PLATFORMS: readonly ChatPlatform[] = [discordPlatform, slackPlatform];

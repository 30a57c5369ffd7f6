import type { ChatPlatform } from "../chat-platform.ts";
import { createSlackBot } from "./app.ts";

/** Slack, when SLACK_BOT_TOKEN is set: Socket Mode by default, HTTP with a signing secret. */
export const slackPlatform: ChatPlatform = {
  platform: "slack",
  open(kit) {
    const { slack } = kit.config;
    if (!slack) return null;
    const bot = createSlackBot(slack, {
      inbox: kit.inbox,
      posts: kit.posts,
      publicUrl: kit.config.publicUrl,
      log: kit.log,
      now: () => kit.clock.now(),
    });
    return {
      platform: "slack",
      label: `slack (${slack.mode})`,
      surface: bot.surface,
      // The workspace is created, and so scheduled, the first time it is seen; after a restart the
      // runtime schedules it with every other known server.
      start: async (core) => {
        await bot.start(core);
      },
      stop: () => bot.stop(),
      connected: () => bot.connected(),
    };
  },
};

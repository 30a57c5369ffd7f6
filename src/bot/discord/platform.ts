import type { ChatPlatform } from "../chat-platform.ts";
import { connectDiscord, type DiscordConnection, discordOutbox } from "./launch.ts";

/** Discord, when DISCORD_TOKEN is set: the gateway in this process, or under ShardingManager. */
export const discordPlatform: ChatPlatform = {
  platform: "discord",
  open(kit) {
    const { discord, publicUrl } = kit.config;
    if (!discord) return null;
    const { token, apiUrl } = discord;
    const { sharding, log } = kit;
    let gateway: DiscordConnection | undefined;
    return {
      platform: "discord",
      label: sharding ? `discord (${sharding.shards} shards)` : "discord",
      // The outbox side needs only REST, so it also runs where no gateway connection is (the manager).
      surface: discordOutbox({ apiUrl, token, posts: kit.posts, publicUrl, clock: kit.clock }),
      async start(core) {
        gateway = await connectDiscord({
          core,
          token,
          apiUrl,
          publicUrl,
          log,
          ...(sharding && {
            sharding: { ...sharding, reschedule: (server) => core.cycles.reschedule(server) },
          }),
        });
      },
      stop: async () => gateway?.stop(),
      // Until the gateway is up, /healthz reports Discord as not connected.
      connected: () => gateway?.connected() ?? false,
    };
  },
};

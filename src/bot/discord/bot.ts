import { Client, Events, GatewayIntentBits, Partials, Routes } from "discord.js";
import { welcome } from "../welcome.ts";
import { type DiscordDeps, serverOf } from "./context.ts";
import { handleInteraction } from "./interactions.ts";
import { reactionHandler } from "./reactions.ts";

export interface DiscordBotOptions {
  token: string;
  /** discord.js's REST base; tests point it at a local fake Discord. */
  apiUrl: string;
}

/**
 * The gateway client. The least intents that work: guilds (channels, roles), guild messages and
 * their reactions; no privileged intent, since slash commands and buttons arrive as interactions.
 * Partials let reactions on posts from before a restart (not in the cache) still arrive.
 */
export function createDiscordClient(options: Pick<DiscordBotOptions, "apiUrl">): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.GuildMessageReactions,
    ],
    partials: [Partials.Message, Partials.Reaction, Partials.User],
    rest: { api: options.apiUrl },
    // The default for every message the client sends: the desk never pings anyone.
    allowedMentions: { parse: [] },
  });
}

export interface DiscordBot {
  client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The gateway session is ready (false while discord.js reconnects or resumes). */
  connected(): boolean;
}

/** Wires the handlers by hand (no loader magic) and logs in. */
export function createDiscordBot(deps: DiscordDeps, options: DiscordBotOptions): DiscordBot {
  const client = createDiscordClient(options);
  const guard =
    <Args extends unknown[]>(what: string, handler: (...args: Args) => Promise<unknown>) =>
    (...args: Args) => {
      handler(...args).catch((error: unknown) => deps.log.error({ err: error }, `${what} failed`));
    };
  client.on(
    Events.InteractionCreate,
    guard("interaction", (interaction) => handleInteraction(deps, interaction)),
  );
  client.on(Events.MessageReactionAdd, guard("reaction", reactionHandler(deps)));
  // GuildCreate after ready is a guild that just added the bot (a known guild coming back is
  // GuildAvailable): it gets a server and a schedule, a welcome, and its first dispatch at once.
  client.on(
    Events.GuildCreate,
    guard("guild", async (guild) => {
      const server = await serverOf(deps, guild.id, guild);
      const channel = server.channelId;
      if (!channel) return deps.log.info({ guild: guild.id }, "joined a guild without a system channel");
      const post = (content: string) =>
        client.rest.post(Routes.channelMessages(channel), {
          body: { content, allowed_mentions: { parse: [] } },
        });
      await welcome(deps.core, server, post, deps);
    }),
  );
  client.once(
    Events.ClientReady,
    guard("ready", async (ready) => {
      for (const guild of ready.guilds.cache.values()) await serverOf(deps, guild.id, guild);
      deps.log.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, "Discord connected");
    }),
  );
  client.on(Events.Error, (error) => deps.log.error({ err: error }, "Discord client error"));
  return {
    client,
    async start() {
      await client.login(options.token);
    },
    async stop() {
      await client.destroy();
    },
    connected: () => client.isReady(),
  };
}

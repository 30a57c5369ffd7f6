import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultServerSettings } from "../agents/cycle/local-server.ts";
import type { InboxStore } from "../bot/chat-platform.ts";
import type { CyclePort } from "../commands/context.ts";
import { type CommandCore, commandCore } from "../commands/core.ts";
import { commandSettings } from "../commands/settings.ts";
import type { Config } from "../config/index.ts";
import type { QuotePort } from "../market/ports.ts";
import type { Clock } from "../scheduler/clock.ts";
import type { Database } from "../store/database.ts";
import {
  claimInbox,
  expireInbox,
  inboxRecorder,
  markInboxFailed,
  markInboxProcessed,
  pruneInbox,
} from "../store/inbox.ts";

/**
 * The process ShardingManager forks per Discord shard (`start --shards`): the compiled .js beside
 * this file under `npm start`, the TypeScript source under tsx (`npm run cli`, tests).
 */
export const DISCORD_SHARD_ENTRY = fileURLToPath(
  new URL(`./discord-shard${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/** The command core over this database, with the rules and server defaults from configuration. */
export function commandCoreFrom(
  config: Config,
  parts: { db: Database; quotes: QuotePort; clock: Clock; cycles: CyclePort },
): CommandCore {
  return commandCore({
    db: parts.db,
    quotes: parts.quotes,
    now: () => parts.clock.now(),
    settings: commandSettings(config),
    cycles: parts.cycles,
    serverDefaults: defaultServerSettings(config.market.symbols),
  });
}

/** The chat inbox's port over the store's inbox table. */
export function inboxStore(db: Database): InboxStore {
  return {
    record: inboxRecorder(db),
    claim: (platform, since, now, leaseUntil, limit) =>
      claimInbox(db.prisma, platform, since, now, leaseUntil, limit),
    expire: (platform, before, now) => expireInbox(db.prisma, platform, before, now),
    markProcessed: (key, at) => markInboxProcessed(db.prisma, key, at),
    markFailed: (key, error) => markInboxFailed(db.prisma, key, error),
    prune: (before) => pruneInbox(db.prisma, before),
  };
}

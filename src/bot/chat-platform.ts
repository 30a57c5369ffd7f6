import type { CommandCore } from "../commands/core.ts";
import type { Config } from "../config/index.ts";
import type { Platform } from "../domain/server.ts";
import type { Logger } from "../log.ts";
import type { Clock } from "../scheduler/clock.ts";
import type { Surface } from "../scheduler/outbox.ts";
import type { DispatchPosts } from "../scheduler/posts.ts";

/**
 * A chat platform the desk speaks on. Each adapter folder exports one; `src/bot/platforms.ts` lists
 * them, and `npm start` opens every one whose settings are present. Nothing else names a platform.
 */
export interface ChatPlatform {
  platform: Platform;
  /** The platform's connection, not yet connected; null when its settings are absent. */
  open(kit: ChatPlatformKit): ChatConnection | null;
}

/** What every platform is built from, made once by `npm start`. */
export interface ChatPlatformKit {
  config: Config;
  /** What outbox surfaces read to render a dispatch post. */
  posts: DispatchPosts;
  /** Where a platform that acknowledges before it handles keeps requests until they are handled. */
  inbox: InboxStore;
  /** The desk's clock: calls lock by it. */
  clock: Clock;
  log: Logger;
  /** Run a platform's gateway in several processes, each starting `entry` (`start --shards`). */
  sharding?: { shards: number | "auto"; entry: string };
}

export interface ChatConnection {
  platform: Platform;
  /** "discord", "slack (socket)", "discord (4 shards)": for the start-up line. */
  label: string;
  /** Delivers dispatches, updates and verdicts from the outbox; the runtime needs it before it starts. */
  surface: Surface;
  /** Connects and answers members through the command core. */
  start(core: CommandCore): Promise<void>;
  stop(): Promise<void>;
  connected(): boolean;
}

/**
 * Where the inbox keeps requests, shaped like the store's inbox functions (the composition root
 * binds them to the database): rows are keyed by the request's idempotency key.
 */
export interface InboxStore {
  /** Leased to the handler that received it until `leaseUntil`; a redelivery changes nothing (false). */
  record(
    entry: { platform: string; key: string; kind: string; payload: object },
    receivedAt: Date,
    leaseUntil: Date,
  ): Promise<boolean>;
  /** Pending rows received since `since` whose lease has ended, leased anew; concurrent claimers skip each other's. */
  claim(
    platform: string,
    since: Date,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<{ key: string; payload: unknown }[]>;
  /** Pending rows received before `before` and held by no handler, marked expired. */
  expire(platform: string, before: Date, now: Date): Promise<{ key: string; kind: string }[]>;
  markProcessed(key: string, at: Date): Promise<void>;
  /** Stays pending: replayed once its lease ends. */
  markFailed(key: string, error: string): Promise<void>;
  /** Deletes rows done with before `before`. */
  prune(before: Date): Promise<number>;
}

import type { types, webApi } from "@slack/bolt";

/** Bolt re-exports the Web API and Block Kit types; the packages themselves are Bolt's dependencies. */
export type SlackClient = webApi.WebClient;
export type Block = types.KnownBlock;

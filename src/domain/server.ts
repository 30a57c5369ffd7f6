/** "discord", "slack", any other registered chat platform, or "local" for the web-only desk. */
export type Platform = string;

/** What a moderator can change with /config; a new server starts from defaults. */
export interface ServerSettings {
  channelId?: string | null;
  schedule: string;
  timezone: string;
  symbols: string[];
  moderatorRoleId?: string | null;
  agreeEmoji?: string;
  fadeEmoji?: string;
  verdictInThread?: boolean;
}

/** A Discord guild, a Slack workspace, or the local web-only desk: one community with its own record. */
export interface Server {
  id: string;
  platform: string;
  externalId: string;
  name: string;
  /** Where dispatches are posted; null means the web view only. */
  channelId: string | null;
  /** Five-field cron, read in `timezone`. */
  schedule: string;
  timezone: string;
  symbols: string[];
  /** Discord role or Slack user group that moderates besides platform admins. */
  moderatorRoleId: string | null;
  agreeEmoji: string;
  fadeEmoji: string;
  verdictInThread: boolean;
}

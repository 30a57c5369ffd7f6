import type { CommandCore } from "../commands/core.ts";
import type { Server } from "../domain/server.ts";
import type { Logger } from "../log.ts";

/** What a community reads the moment the bot arrives: what it is, and how to take part. */
export function welcomeText(publicUrl: string): string {
  return [
    "Tapereader is here. The desk reads the market a few times a trading day and posts a dispatch ending in falsifiable calls; each is scored at its deadline from market data, in public.",
    "Agree or Fade a call from its post, or make your own with /predict (e.g. `QQQ down 48h 65%`). /leaderboard ranks members against the desk; /trail shows any call's record.",
    `Its first dispatch follows now. Everything is also on ${publicUrl}`,
  ].join("\n");
}

/**
 * A community the bot has just joined: the welcome, then its first dispatch at once through the
 * desk's own cycle port (the runtime's lock, the outbox's delivery), as /cycle now runs one.
 */
export async function welcome(
  core: CommandCore,
  server: Server,
  post: (text: string) => Promise<unknown>,
  context: { publicUrl: string; log: Logger },
): Promise<void> {
  await post(welcomeText(context.publicUrl));
  const first = await core.cycles.runNow(server);
  context.log.info({ server: server.id, first }, `Welcomed ${server.name}; first dispatch: ${first.status}`);
}

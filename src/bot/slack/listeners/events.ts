import type { App } from "@slack/bolt";
import { leaderboardCommand } from "../../../commands/leaderboard.ts";
import { trailCommand } from "../../../commands/trail.ts";
import { welcome } from "../../welcome.ts";
import { homeView } from "../render/home.ts";
import { invocationOf, workspaceOf } from "./invocation.ts";
import type { ListenerDeps } from "./listener-deps.ts";
import { sendReply } from "./reply-delivery.ts";
import { answerDeskCall } from "./stance.ts";

/** The same reactions as Discord; they answer a dispatch's first call. */
export const REACTIONS = { arrow_up: "agree", arrow_down: "fade" } as const;

/** Events: Bolt acknowledges them itself, so these only do the work. */
export function register(app: App, deps: ListenerDeps): void {
  app.event("reaction_added", async ({ event, body, client, context }) => {
    const stance = REACTIONS[event.reaction as keyof typeof REACTIONS];
    // The bot adds the two reactions to every post itself; those are not answers.
    if (!stance || event.item.type !== "message" || event.user === context.botUserId) return;
    const dispatch = await deps.core.postedDispatch("slack", event.item.ts);
    const first = dispatch?.calls[0];
    if (!first) return;
    const reply = await answerDeskCall(
      deps,
      client,
      { teamId: body.team_id, userId: event.user },
      // event_id is the same on every retry of one reaction.
      { deskCallId: first.id, stance, source: "reaction", interactionId: `slack:event:${body.event_id}` },
    );
    await sendReply(deps.log, client, { channel: event.item.channel, user: event.user }, reply);
  });

  // The bot added to a channel: the workspace's first channel becomes its dispatch channel, and is
  // welcomed with its first dispatch at once. Joining another channel later changes nothing.
  app.event("member_joined_channel", async ({ event, body, client, context }) => {
    if (event.user !== context.botUserId) return;
    const known = await workspaceOf(deps, body.team_id);
    if (known.channelId !== null) return;
    const server = await deps.core.servers.adoptChannel(known, event.channel);
    if (server.channelId !== event.channel) return;
    const post = (text: string) => client.chat.postMessage({ channel: event.channel, text });
    await welcome(deps.core, server, post, deps);
  });

  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab && event.tab !== "home") return;
    const who = await invocationOf(deps, client, { teamId: body.team_id, userId: event.user });
    const [mine, board, desk] = await Promise.all([
      deps.core.run(trailCommand, who, { limit: 5 }),
      deps.core.run(leaderboardCommand, who, { limit: 5 }),
      deps.core.run(trailCommand, who, { target: "desk" }),
    ]);
    // Slack fetches images itself, so only a public (https) web view can show the chart.
    const chartUrl = deps.publicUrl.startsWith("https://")
      ? `${deps.publicUrl}/charts/calibration/u/slack/${encodeURIComponent(event.user)}.png?server=${who.server.id}`
      : null;
    const view = homeView({
      member: mine.ok && mine.view.kind === "member" ? mine.view : null,
      board: board.ok ? board.view : null,
      desk: desk.ok && desk.view.kind === "desk" ? desk.view.record : null,
      publicUrl: deps.publicUrl,
      chartUrl,
    });
    await client.views.publish({ user_id: event.user, view });
  });
}

import type { CallSource } from "../store/calls.ts";
import type { MemberCallInput, MemberCallResult } from "../store/member-calls.ts";
import { type CommandContext, fail } from "./context.ts";

/** What every member call shares: who, where, which interaction, and the cap. */
export function memberCallBase(
  ctx: CommandContext,
  source: CallSource,
): Pick<MemberCallInput, "serverId" | "member" | "maxOpen" | "source" | "interactionId"> {
  return {
    serverId: ctx.server.id,
    member: { externalId: ctx.actor.externalId, displayName: ctx.actor.displayName },
    maxOpen: ctx.settings.maxOpenCallsPerMember,
    source,
    ...(ctx.interactionId !== undefined && { interactionId: ctx.interactionId }),
  };
}

export function overCap(ctx: CommandContext, result: Extract<MemberCallResult, { status: "over_cap" }>) {
  return fail(
    `You already have ${result.open} open calls, the most a member may hold at once (${ctx.settings.maxOpenCallsPerMember}): wait for one to resolve.`,
  );
}

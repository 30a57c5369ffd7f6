import type { CallSource } from "../domain/call-record.ts";
import type { MemberCallInput, MemberCallResult } from "../store/member-calls.ts";
import { type CommandContext, fail, formatMoment, type Refusal } from "./context.ts";

/** What every member call shares: who, where, which interaction, the cap and the rate limit. */
export function memberCallBase(
  ctx: CommandContext,
  source: CallSource,
): Pick<MemberCallInput, "serverId" | "member" | "maxOpen" | "rateLimit" | "source" | "interactionId"> {
  return {
    serverId: ctx.server.id,
    member: { externalId: ctx.actor.externalId, displayName: ctx.actor.displayName },
    maxOpen: ctx.settings.maxOpenCallsPerMember,
    rateLimit: ctx.settings.rateLimit,
    source,
    ...(ctx.interactionId !== undefined && { interactionId: ctx.interactionId }),
  };
}

type StoreRefusal = Extract<MemberCallResult, { status: "over_cap" | "rate_limited" }>;

/** The member's message for a call the store refused; nothing was written. */
export function refusal(ctx: CommandContext, result: StoreRefusal): Refusal {
  if (result.status === "over_cap") {
    return fail(
      `You already have ${result.open} open calls, the most a member may hold at once (${ctx.settings.maxOpenCallsPerMember}): wait for one to resolve.`,
      "over_cap",
    );
  }
  const { calls, windowMs } = ctx.settings.rateLimit;
  const minutes = Math.round((windowMs / 60_000) * 10) / 10;
  const wait = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 60_000));
  return fail(
    `Slow down: you made ${result.recent} calls in the last ${minutes} minutes, the most this server allows (${calls}). Try again after ${formatMoment(result.retryAt)} (about ${wait} min).`,
    "rate_limited",
  );
}

import { z } from "zod";
import { type CallSpec, callSpecSchema } from "../domain/call.ts";
import { specOf } from "../store/calls.ts";
import { appendMemberCall, findServerCall } from "../store/member-calls.ts";
import { type CallView, callView } from "./call-view.ts";
import {
  type CommandContext,
  type CommandResult,
  fail,
  formatMoment,
  memberProbabilitySchema,
  ok,
  parseOptions,
} from "./context.ts";
import { memberCallBase, refusal } from "./member-call.ts";

export const stanceOptionsSchema = z
  .object({
    callId: z
      .number({ message: "a call number such as 1841" })
      .int()
      .positive("a call number such as 1841")
      // Call ids are PostgreSQL integers: a larger number is no call, not a database error.
      .max(2_147_483_647, "a call number such as 1841"),
    /** Left out: the server's default probability. */
    probability: memberProbabilitySchema.optional(),
    source: z.enum(["button", "reaction"]),
  })
  .strict();

export type StanceOptions = z.input<typeof stanceOptionsSchema>;
export type Stance = "agree" | "fade";

export interface StanceView {
  stance: Stance;
  /** The member's call: the desk's question, or its opposite for a fade. */
  call: CallView;
  deskCall: CallView;
  /** The member's earlier responses to this desk call that this one replaced. */
  replaced: number[];
  /** True when this interaction had already stored the call: nothing new was written. */
  replayed: boolean;
}

export function agree(ctx: CommandContext, options: StanceOptions): Promise<CommandResult<StanceView>> {
  return respond(ctx, "agree", options);
}

export function fade(ctx: CommandContext, options: StanceOptions): Promise<CommandResult<StanceView>> {
  return respond(ctx, "fade", options);
}

/**
 * A member's call on a desk call's question, on the desk's terms: its entry price, deadline and lock,
 * so agreeing and fading score on exactly what the desk claimed. Accepted only before the lock.
 */
async function respond(
  ctx: CommandContext,
  stance: Stance,
  options: StanceOptions,
): Promise<CommandResult<StanceView>> {
  const parsed = parseOptions(stanceOptionsSchema, options);
  if (!parsed.ok) return parsed;
  const { callId, probability, source } = parsed.value;
  const desk = await findServerCall(ctx.db.prisma, ctx.server.id, callId);
  if (!desk) return fail(`There is no call #${callId} on this server.`);
  if (desk.authorType !== "desk") {
    return fail(
      `Call #${callId} is a member's call: only desk calls can be agreed with or faded. Use /predict.`,
    );
  }
  const now = ctx.now();
  if (now.getTime() >= desk.lockAt.getTime()) {
    return fail(
      `Call #${callId} locked at ${formatMoment(desk.lockAt)}: agree and fade close then, so nobody scores with hindsight.`,
    );
  }
  const question = stance === "fade" ? fadeOf(specOf(desk)) : specOf(desk);
  const { horizonHours: _horizon, note: _note, ...terms } = question;
  const spec = callSpecSchema.parse({
    ...terms,
    deadline: desk.deadline.toISOString(),
    madeAt: now.toISOString(),
    probability: probability ?? ctx.settings.defaultProbability,
  });
  const stored = await appendMemberCall(ctx.db.prisma, {
    ...memberCallBase(ctx, source),
    spec,
    stance,
    parentCallId: desk.id,
    lockAt: desk.lockAt,
    ...(desk.entryPrice !== null && { entryPrice: desk.entryPrice }),
    ...(desk.entryAt !== null && { entryAt: desk.entryAt }),
    ...(desk.versusEntry !== null && { versusEntry: desk.versusEntry }),
  });
  if (stored.status === "over_cap" || stored.status === "rate_limited") return refusal(ctx, stored);
  return ok({
    stance,
    call: callView(stored.call, ctx.actor),
    deskCall: callView(desk),
    replaced: stored.status === "created" ? stored.superseded : [],
    replayed: stored.status === "replayed",
  });
}

/**
 * The call that is right exactly when `call` is wrong over the same window (a threshold close landing
 * on the level itself is wrong for both): never touching above L is holding below L, and the reverse.
 */
export function fadeOf(call: CallSpec): CallSpec {
  const other = <T extends string>(value: T, a: T, b: T): T => (value === a ? b : a);
  switch (call.kind) {
    case "direction":
      return { ...call, direction: other(call.direction, "up", "down") };
    case "relative":
      return { ...call, direction: other(call.direction, "outperform", "underperform") };
    case "threshold":
      return { ...call, comparator: other(call.comparator, "above", "below") };
    case "touch":
      return { ...call, kind: "hold", comparator: other(call.comparator, "above", "below") };
    case "hold":
      return { ...call, kind: "touch", comparator: other(call.comparator, "above", "below") };
  }
}

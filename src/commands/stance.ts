import { z } from "zod";
import { callSpecSchema } from "../domain/call.ts";
import { answersCloseAt, isOpenForAnswers, specOf } from "../domain/call-record.ts";
import { fadeOf } from "../domain/claims.ts";
import { liveResponse } from "../store/live-responses.ts";
import { appendMemberCall, findServerCall } from "../store/member-calls.ts";
import { type CallView, callView } from "./call-view.ts";
import {
  type CommandContext,
  type CommandResult,
  fail,
  formatMoment,
  memberProbabilitySchema,
  ok,
} from "./context.ts";
import { declareCommand, invoke } from "./declaration.ts";
import { formatCallText } from "./format-call.ts";
import { memberCallBase, refusal } from "./member-call.ts";

/** Call ids are PostgreSQL integers: a larger number is no call, not a database error. */
const callIdSchema = z
  .number({ message: "a call number such as 1841" })
  .int()
  .positive("a call number such as 1841")
  .max(2_147_483_647, "a call number such as 1841");

export const stanceOptionsSchema = z
  .object({
    callId: callIdSchema,
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
  /** True when this answer was already stored: nothing new was written. */
  replayed: boolean;
}

const stanceCommand = <Name extends Stance>(stance: Name) =>
  declareCommand({
    name: stance,
    schema: stanceOptionsSchema,
    access: "member",
    // Only the member sees their answer; the post's counts show everyone the crowd.
    answers: "private",
    defer: "when_slow",
    run: (ctx, options) => respond(ctx, stance, options),
    text: (view: StanceView) =>
      `You ${view.stance === "agree" ? "agree with" : "fade"} call #${view.deskCall.id}${view.replayed ? " (already saved)" : ""}: your call #${view.call.id} ${view.call.text}`,
  });

/** Agree/Fade buttons and reactions: no slash command of their own. */
export const agreeCommand = stanceCommand("agree");
export const fadeCommand = stanceCommand("fade");

export function agree(ctx: CommandContext, options: StanceOptions): Promise<CommandResult<StanceView>> {
  return invoke(agreeCommand, ctx, options);
}

export function fade(ctx: CommandContext, options: StanceOptions): Promise<CommandResult<StanceView>> {
  return invoke(fadeCommand, ctx, options);
}

/**
 * A member's call on a desk call's question, on the desk's terms: its entry price, deadline and lock,
 * so agreeing and fading score on exactly what the desk claimed. Accepted only before the lock. A
 * stored answer re-renders the post that carries the desk call; a repeated one changes nothing.
 */
async function respond(
  ctx: CommandContext,
  stance: Stance,
  options: z.output<typeof stanceOptionsSchema>,
): Promise<CommandResult<StanceView>> {
  const { callId, probability, source } = options;
  const desk = await findServerCall(ctx.db.prisma, ctx.server.id, callId);
  if (!desk) return fail(`There is no call #${callId} on this server.`, "not_found");
  if (desk.authorType !== "desk") {
    return fail(
      `Call #${callId} is a member's call: only desk calls can be agreed with or faded. Use /predict.`,
      "not_answerable",
    );
  }
  const now = ctx.now();
  if (!isOpenForAnswers({ ...desk, status: "open" }, now)) {
    return fail(
      `Call #${callId} locked at ${formatMoment(answersCloseAt(desk))}: agree and fade close then, so nobody scores with hindsight.`,
      "locked",
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
  const interactionId = await answerKey(ctx, stance, desk.id);
  const stored = await appendMemberCall(ctx.db.prisma, {
    ...memberCallBase({ ...ctx, interactionId }, source),
    spec,
    stance,
    parentCallId: desk.id,
    lockAt: desk.lockAt,
    ...(desk.entryPrice !== null && { entryPrice: desk.entryPrice }),
    ...(desk.entryAt !== null && { entryAt: desk.entryAt }),
    ...(desk.versusEntry !== null && { versusEntry: desk.versusEntry }),
  });
  if (stored.status === "over_cap" || stored.status === "rate_limited") return refusal(ctx, stored);
  if (stored.status === "created") await ctx.posts.refresh(desk.id, interactionId);
  return ok({
    stance,
    call: callView(stored.call, ctx.actor),
    deskCall: callView(desk),
    replaced: stored.status === "created" ? stored.superseded : [],
    replayed: stored.status === "replayed",
  });
}

/**
 * The idempotency key of an answer: the platform's event id; where the platform has none that
 * repeats (a Slack click), the state it answers from, so two clicks racing on one state share a key.
 * Where asked, a repeat of the member's live stance reuses that answer's key, and the store replays it.
 */
async function answerKey(ctx: CommandContext, stance: Stance, deskCallId: number): Promise<string> {
  const { server, actor } = ctx;
  const needsState = ctx.sameAnswerReplays || ctx.interactionId === undefined;
  const live = needsState ? await liveResponse(ctx.db.prisma, server.id, actor.externalId, deskCallId) : null;
  if (ctx.sameAnswerReplays && live?.stance === stance && live.interactionId) return live.interactionId;
  return (
    ctx.interactionId ??
    `${server.platform}:click:${server.id}:${actor.externalId}:${deskCallId}:${stance}:after:${live?.id ?? "none"}`
  );
}

export const counterOptionsSchema = z.object({ callId: callIdSchema }).strict();

export interface CounterView {
  deskCallId: number;
  symbol: string;
  /** The fade of the desk's call as call text, for the member to edit into their own. */
  suggestion: string;
}

/** Counter-call: the form a member fills to make their own call against a desk call. */
export const counterCommand = declareCommand({
  name: "counter",
  schema: counterOptionsSchema,
  access: "member",
  answers: "private",
  // A form must be the first answer, so the lookup stays small: one indexed row.
  defer: "when_slow",
  async run(ctx, { callId }): Promise<CommandResult<CounterView>> {
    const desk = await findServerCall(ctx.db.prisma, ctx.server.id, callId);
    if (!desk) return fail(`There is no call #${callId} on this server.`, "not_found");
    const suggestion = formatCallText({ ...fadeOf(specOf(desk)), note: undefined });
    return ok({ deskCallId: desk.id, symbol: desk.symbol, suggestion });
  },
  text: (view: CounterView) => `Counter-call on #${view.deskCallId}: ${view.suggestion}`,
});

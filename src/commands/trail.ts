import { z } from "zod";
import {
  type DeskRecord,
  deskRecord,
  memberRecord,
  type RecordSummary,
  summarizeCalls,
} from "../resolution/records.ts";
import { sideBySide } from "../resolution/side-by-side.ts";
import type { Database } from "../store/database.ts";
import { findMember } from "../store/member-calls.ts";
import { loadCallTrail } from "../store/records.ts";
import { type CallTrailView, callTrailView } from "./call-trail.ts";
import { type CallView, callView } from "./call-view.ts";
import { type CommandContext, type CommandResult, fail, ok } from "./context.ts";
import { declareCommand, invoke, optionValue } from "./declaration.ts";
import { sideBySideText } from "./side-by-side.ts";

export const trailOptionsSchema = z
  .object({
    /**
     * "desk", a call number ("1841" or "#1841"), a member (platform id or mention such as <@123>),
     * or left out for the asking member's own trail.
     */
    target: z.string().trim().min(1).max(100).optional(),
    /** How many of a member's recent calls to list. */
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();

export type TrailOptions = z.input<typeof trailOptionsSchema>;

export interface MemberTrailView {
  kind: "member";
  member: { externalId: string; displayName: string };
  /** Includes calibration buckets and Brier skill. */
  summary: RecordSummary;
  recent: CallView[];
}

export interface DeskTrailView {
  kind: "desk";
  /** Overall, and by lead mind, regime, asset and horizon. */
  record: DeskRecord;
}

export type TrailView = CallTrailView | MemberTrailView | DeskTrailView;

type Target = { kind: "desk" } | { kind: "call"; id: number } | { kind: "member"; externalId: string };

/** Call numbers are small; Discord user ids are 17+ digit snowflakes, so the two never collide. */
const CALL_NUMBER = /^#?(\d{1,9})$/;
/** Discord writes <@123> or <@!123>; Slack writes <@U024BE7LH> or <@U024BE7LH|bob>. */
const MENTION = /^<@!?([\w.-]+)(?:\|[^>]*)?>$/;

export const trailCommand = declareCommand({
  name: "trail",
  schema: trailOptionsSchema,
  access: "member",
  answers: "public",
  defer: "when_slow",
  run: trail_,
  text: trailText,
  slash: {
    description: "A record: yours, a member's, the desk's, or one call's full chain",
    options: [
      { name: "member", type: "user", description: "Whose record (default: yours)" },
      { name: "call", type: "integer", description: "A call number, e.g. 1841", min: 1 },
      { name: "desk", type: "boolean", description: "The desk's record by mind, regime, asset, horizon" },
    ],
    fromOptions: (values) => {
      const call = optionValue.number(values, "call");
      const target = optionValue.boolean(values, "desk")
        ? "desk"
        : call !== undefined
          ? String(call)
          : optionValue.string(values, "member");
      return target === undefined ? {} : { target };
    },
    // `/trail` (yours), `/trail @member`, `/trail 1841`, `/trail desk`.
    fromText: (text) => {
      const target = text.trim();
      return target ? { target } : {};
    },
    usage: "Usage: `/trail` (yours), `/trail @member`, `/trail 1841` or `/trail desk`.",
  },
});

export function trail(ctx: CommandContext, options: TrailOptions = {}): Promise<CommandResult<TrailView>> {
  return invoke(trailCommand, ctx, options);
}

async function trail_(
  ctx: CommandContext,
  options: z.output<typeof trailOptionsSchema>,
): Promise<CommandResult<TrailView>> {
  const target = targetOf(ctx, options.target);
  switch (target.kind) {
    case "desk":
      return ok({ kind: "desk", record: await deskRecord(ctx.db, ctx.server.id) });
    case "call": {
      const found = await callTrailOf(ctx.db, target.id);
      // Another server's call reads as unknown: trails are per community.
      if (!found || found.serverId !== ctx.server.id)
        return fail(`There is no call #${target.id} on this server.`, "not_found");
      return ok(found.view);
    }
    case "member":
      return memberTrail(ctx, target.externalId, options.limit);
  }
}

/** One call's trail, with crowd, desk and base rate side by side when it is a resolved desk call. */
export async function callTrailOf(
  db: Database,
  id: number,
): Promise<{ view: CallTrailView; serverId: string } | null> {
  const data = await loadCallTrail(db.prisma, id);
  if (!data) return null;
  return { view: callTrailView(data, await sideBySide(db, data.call)), serverId: data.call.serverId };
}

function trailText(view: TrailView): string {
  const line = (c: CallView) => `#${c.id} ${c.text} · ${Math.round(c.probability * 100)}% · ${c.status}`;
  switch (view.kind) {
    case "desk":
      return `The desk: ${view.record.overall.right}/${view.record.overall.resolved} right`;
    case "member":
      return [
        `${view.member.displayName}: ${view.summary.right}/${view.summary.resolved} right`,
        ...view.recent.map(line),
      ].join("\n");
    case "call":
      return [
        line(view.call),
        view.call.result?.evidence ?? "",
        view.sideBySide ? sideBySideText(view.sideBySide) : "",
      ]
        .filter(Boolean)
        .join("\n");
  }
}

function targetOf(ctx: CommandContext, text: string | undefined): Target {
  if (text === undefined || text.toLowerCase() === "me")
    return { kind: "member", externalId: ctx.actor.externalId };
  if (text.toLowerCase() === "desk") return { kind: "desk" };
  const call = CALL_NUMBER.exec(text);
  if (call) return { kind: "call", id: Number(call[1]) };
  return { kind: "member", externalId: MENTION.exec(text)?.[1] ?? text };
}

async function memberTrail(
  ctx: CommandContext,
  externalId: string,
  limit: number,
): Promise<CommandResult<MemberTrailView>> {
  const member = await findMember(ctx.db.prisma, ctx.server.id, externalId);
  const self = externalId === ctx.actor.externalId;
  if (!member && self) {
    // A member without calls yet has an empty record, not an error.
    const who = { externalId, displayName: ctx.actor.displayName };
    return ok({ kind: "member", member: who, summary: summarizeCalls([]), recent: [] });
  }
  if (!member) {
    return fail(
      `No trail for "${externalId}": give desk, a call number such as 1841, or a member who has made a call.`,
      "not_found",
    );
  }
  const record = await memberRecord(ctx.db, member.id, limit);
  return ok({
    kind: "member",
    member: { externalId: member.externalId, displayName: member.displayName },
    summary: record.summary,
    recent: record.recent.map((row) => callView(row, member)),
  });
}

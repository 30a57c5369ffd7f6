import { z } from "zod";
import type { Server } from "../domain/server.ts";
import type { QuotePort } from "../market/ports.ts";
import type { Database } from "../store/database.ts";
import type { MemberRateLimit } from "../store/member-calls.ts";

/** Server-wide rules the handlers apply; the runtime fills them from config. */
export interface CommandSettings {
  /** Share of a desk call's horizon after which agree/fade is refused. */
  lockShare: number;
  /** A member's probability when they agree or fade without giving one. */
  defaultProbability: number;
  /** Members with fewer resolved calls stay off the leaderboard. */
  leaderboardMinResolved: number;
  maxOpenCallsPerMember: number;
  rateLimit: MemberRateLimit;
}

export interface Actor {
  externalId: string;
  displayName: string;
  /** Decided by the adapter from the platform (role, admin permission); handlers only read it. */
  isModerator: boolean;
}

export type RunNowResult =
  | { status: "started"; dispatchNumber: number | null }
  | {
      /** Nothing new since the last dispatch: the cycle ran, recorded why, and published nothing. */
      status: "skipped";
      cycleNumber: number;
      sinceDispatch: number;
      /** ISO time of the market moment that dispatch read. */
      sinceAt: string;
      reason: string;
    }
  | { status: "already_running" };

/**
 * The desk's scheduler as commands see it. The runtime implements it (it owns the lock that makes a
 * second run report "already_running"); a Discord shard forwards `reschedule` to its manager.
 */
export interface CyclePort {
  runNow(server: Server): Promise<RunNowResult>;
  /** The server's schedule or timezone changed: its cycles follow the new one from now on. */
  reschedule(server: Server): void;
}

/** The dispatch posts on chat platforms, which show members' answers as they come. */
export interface PostPort {
  /** Re-renders the post carrying this desk call; `key` names the event, so a replay adds nothing. */
  refresh(deskCallId: number, key: string): Promise<void>;
}

export interface CommandContext {
  db: Database;
  /** For a member's own entry price and for checking new symbols. */
  quotes: QuotePort;
  now(): Date;
  settings: CommandSettings;
  server: Server;
  actor: Actor;
  /**
   * The platform's id for this event: a redelivered event must not store a second call. Left out
   * where the platform has none that repeats (a Slack click), and the handler derives one.
   */
  interactionId?: string;
  /**
   * A member answering a desk call with the stance they already hold gets that answer back instead
   * of a new call. Slack asks for this: its clicks carry no id that repeats, so a double click would
   * otherwise be two answers. Discord's ids do repeat, and there a second press is a second answer.
   */
  sameAnswerReplays?: boolean;
  cycles: CyclePort;
  posts: PostPort;
}

/** Why a command was refused, so a surface can act on it (a locked reaction is removed) without re-deriving it. */
export type RefusalCode =
  | "invalid"
  | "not_found"
  | "not_answerable"
  | "locked"
  | "rate_limited"
  | "over_cap"
  | "not_moderator"
  | "unavailable";

/** A refusal: `error` is a specific sentence for the member, shown privately; nothing was written. */
export interface Refusal {
  ok: false;
  code: RefusalCode;
  error: string;
}

/** What every handler answers. Unexpected failures (database down) throw. */
export type CommandResult<View> = { ok: true; view: View } | Refusal;

export function ok<View>(view: View): CommandResult<View> {
  return { ok: true, view };
}

/** Discord refuses a message over 2000 characters; an error quoting a huge input must still be sent. */
const MAX_ERROR_CHARS = 600;

export function fail(error: string, code: RefusalCode = "invalid"): Refusal {
  if (error.length <= MAX_ERROR_CHARS) return { ok: false, code, error };
  // Cut the middle, where the quoted input is: the field in front and the hint at the end both stay.
  const half = MAX_ERROR_CHARS / 2 - 1;
  return { ok: false, code, error: `${error.slice(0, half)}…${error.slice(-half)}` };
}

/** Validates raw adapter input; the first problem becomes the member's error message. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { ok: true; value: z.output<Schema> } | Refusal {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
  const control = controlCharacterIn(input, keys ?? []);
  if (control) return fail(`${control.field}: remove the control character ${control.code} from it`);
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".");
  if (field) return fail(`${field}: ${issue?.message}`);
  // Without a field the problem is the options as a whole: say which options there are.
  const known = keys?.join(", ");
  const accepted = known ? `; the options are ${known}` : known === "" ? "; it takes no options" : "";
  if (issue?.code === "unrecognized_keys") return fail(`${issue.message}${accepted}`);
  const got = Array.isArray(input) ? "a list" : typeof input;
  return fail(`options: expected named options, got ${got}${accepted}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * No option means anything with a control character in it, and PostgreSQL refuses U+0000 in text
 * outright (a database error, not an answer), so they are refused by name before anything else.
 */
function controlCharacterIn(
  input: unknown,
  fields: readonly string[],
): { field: string; code: string } | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  for (const field of fields) {
    const value: unknown = (input as Record<string, unknown>)[field];
    for (const text of Array.isArray(value) ? value : [value]) {
      const found = typeof text === "string" ? CONTROL.exec(text) : null;
      if (found) {
        const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
        return { field, code };
      }
    }
  }
  return undefined;
}

/** Sapphire-style precondition: one wording for every moderator-only command. */
export function requireModerator(ctx: CommandContext, command: string): Refusal | null {
  if (ctx.actor.isModerator) return null;
  const who = ctx.server.moderatorRoleId
    ? "the server's moderator role"
    : "the server's manage-server (Discord) or admin (Slack) permission";
  return fail(`Only moderators can use ${command}: it needs ${who}.`, "not_moderator");
}

/**
 * Members type probabilities as percents (65) or fractions (0.65); both mean 0.65. Below 50% is the
 * opposite call, so the message says which one.
 */
export const memberProbabilitySchema = z
  .number({ message: "a probability such as 65 (percent) or 0.65" })
  .transform((value, ctx) => {
    const p = value > 1 ? value / 100 : value;
    if (p > 0.99) {
      ctx.addIssue({
        code: "custom",
        message: `${value} is too high: give 50 to 99 (percent) or 0.5 to 0.99`,
      });
    } else if (p < 0.5) {
      const opposite = Math.round((1 - p) * 1000) / 10;
      ctx.addIssue({
        code: "custom",
        message: `${value} is below 50%: a call you give less than even odds is the opposite call at ${opposite}%`,
      });
    }
    return p;
  });

/** "2026-04-01 17:05 UTC": how handlers name a moment in a message. */
export function formatMoment(moment: Date): string {
  return `${moment.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

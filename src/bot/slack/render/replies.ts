import type { z } from "zod";
import type { CallTrailView } from "../../../commands/call-trail.ts";
import type { CallView } from "../../../commands/call-view.ts";
import type { ConfigView } from "../../../commands/config.ts";
import type { CommandResult, Refusal } from "../../../commands/context.ts";
import { type CycleNowView, skippedText } from "../../../commands/cycle.ts";
import type { AnyCommand, CommandDeclaration } from "../../../commands/declaration.ts";
import { type LeaderboardView, SKILL_NOTE, skillText } from "../../../commands/leaderboard.ts";
import { entryText, type PredictView } from "../../../commands/predict.ts";
import type { Command, CommandName } from "../../../commands/registry.ts";
import { sideBySideText } from "../../../commands/side-by-side.ts";
import type { StanceView } from "../../../commands/stance.ts";
import type { MemberTrailView, TrailView } from "../../../commands/trail.ts";
import type { RecordSummary } from "../../../resolution/records.ts";
import { escapeText, link, pct, when } from "../mrkdwn.ts";

/** What a listener sends back through respond(): ephemeral for the asker, in_channel for everyone. */
export interface Reply {
  response_type: "ephemeral" | "in_channel";
  text: string;
}

const only = (text: string): Reply => ({ response_type: "ephemeral", text });

/** A refusal is always private, and says exactly what was wrong (the handlers wrote nothing). */
export function refusalReply(refusal: Refusal): Reply {
  return only(`:warning: ${escapeText(refusal.error)}`);
}

export function replyOf<View>(result: CommandResult<View>, render: (view: View) => Reply): Reply {
  return result.ok ? render(result.view) : refusalReply(result);
}

export function unexpected(): Reply {
  return only(":warning: Tapereader hit an unexpected error. Please try again in a minute.");
}

/** A request the inbox could not record (database down): refused at once rather than maybe lost. */
export function notTaken(): Reply {
  return only(
    ":warning: Tapereader could not take this right now, so nothing was saved. Please try again in a minute.",
  );
}

/** A moderator command sent again (the same signed request, replayed): it ran once, it runs no more. */
export function alreadyDone(): Reply {
  return only("Already done: this request was handled once and is not run again.");
}

export function usage(text: string): Reply {
  return only(text);
}

function callLine(call: CallView, publicUrl: string): string {
  const state =
    call.status === "open"
      ? `open · resolves ${when(call.deadline)}`
      : `*${call.status.toUpperCase()}*${call.result?.evidence ? ` · ${escapeText(call.result.evidence)}` : ""}${
          call.result?.baselineScore != null ? ` · baseline ${Math.round(call.result.baselineScore)}` : ""
        }`;
  return `${link(`${publicUrl}/trail/${call.id}`, `#${call.id}`)} ${escapeText(call.text)} · ${pct(call.probability)} · ${state}`;
}

export function predictReply(view: PredictView, publicUrl: string): Reply {
  const { call } = view;
  const who = call.author.type === "member" ? escapeText(call.author.displayName) : "The desk";
  if (view.replayed) return only(`Already saved: ${callLine(call, publicUrl)}`);
  const entry = entryText(view, escapeText);
  return {
    response_type: "in_channel",
    text: `${who} calls ${callLine(call, publicUrl)}${entry}`,
  };
}

export function stanceReply(view: StanceView, publicUrl: string): Reply {
  const verb = view.stance === "agree" ? "You agree with" : "You fade";
  const replaced = view.replaced.length
    ? ` (replaces ${view.replaced.map((id) => `#${id}`).join(", ")})`
    : "";
  const again = view.replayed ? " (already saved)" : "";
  return only(
    `${verb} desk call #${view.deskCall.id}${again}: your call ${callLine(view.call, publicUrl)}${replaced}`,
  );
}

export function summaryLine(s: RecordSummary): string {
  if (s.resolved === 0) return `No resolved calls yet${s.voids ? ` (${s.voids} void)` : ""}.`;
  const brier = s.meanBrier === null ? "—" : s.meanBrier.toFixed(3);
  return `${s.right}/${s.resolved} right (${pct(s.hitRate)}) · Brier ${brier} · baseline ${Math.round(s.baselineSum)}${
    s.peerCount ? ` · vs desk ${Math.round(s.peerSum)} over ${s.peerCount}` : ""
  }${s.voids ? ` · ${s.voids} void` : ""}`;
}

export function memberTrailText(view: MemberTrailView, publicUrl: string): string {
  const recent = view.recent.length
    ? view.recent.map((c) => `• ${callLine(c, publicUrl)}`).join("\n")
    : "_No calls yet._";
  return `*${escapeText(view.member.displayName)}* · ${summaryLine(view.summary)}\n${recent}`;
}

export function trailReply(view: TrailView, publicUrl: string): Reply {
  switch (view.kind) {
    case "member":
      return only(memberTrailText(view, publicUrl));
    case "desk":
      return only(
        `*The desk* · ${summaryLine(view.record.overall)}\n${link(`${publicUrl}/`, "Every dispatch →")}`,
      );
    case "call":
      return only(callTrailText(view, publicUrl));
  }
}

/** The call's stack trace in brief; the web page carries it in full. */
function callTrailText(view: CallTrailView, publicUrl: string): string {
  const lines = [callLine(view.call, publicUrl)];
  if (view.dispatch)
    lines.push(`From dispatch #${view.dispatch.number}: ${escapeText(view.dispatch.thesis)}`);
  for (const mind of view.minds) {
    const last = mind.round2 ?? mind.round1;
    if (!last) continue;
    const stance = last.abstained ? "abstained" : `${last.direction ?? "—"} ${pct(last.probability)}`;
    lines.push(`• ${escapeText(mind.mind)}: ${stance} · ${escapeText(last.reason)}`);
  }
  lines.push(`Inputs: ${view.observations.length} observations · hash \`${view.chain.hash.slice(0, 12)}\``);
  if (view.receiptLine) lines.push(escapeText(view.receiptLine));
  if (view.call.author.type === "desk")
    lines.push(`Members: ${view.responses.agree} agree · ${view.responses.fade} fade`);
  if (view.sideBySide) lines.push(escapeText(sideBySideText(view.sideBySide)));
  if (view.lesson) lines.push(`Lesson: ${escapeText(view.lesson.title)}`);
  lines.push(link(`${publicUrl}/trail/${view.call.id}`, "Full trail →"));
  return lines.join("\n");
}

export function leaderboardText(view: LeaderboardView): string {
  const rows = view.rows.map((r) => {
    const who = r.rank === null ? `_${escapeText(r.name)}_` : `${r.rank}. ${escapeText(r.name)}`;
    return `${who} · ${skillText(r)} vs ${r.against} · ${r.right}/${r.resolved} · ${r.verdict}`;
  });
  const floor = view.belowFloor
    ? `\n_${view.belowFloor} more below the floor of ${view.minResolved} resolved calls._`
    : "";
  return `*Leaderboard · ${escapeText(view.season)}*\n_${SKILL_NOTE}_\n${rows.join("\n")}${floor}`;
}

export function leaderboardReply(view: LeaderboardView): Reply {
  return only(leaderboardText(view));
}

export function cycleReply(view: CycleNowView, publicUrl: string): Reply {
  if (view.status === "already_running") return only("A cycle is already running for this workspace.");
  if (view.status === "skipped") return only(skippedText(view));
  if (view.dispatchNumber === null)
    return { response_type: "in_channel", text: "Cycle done: the desk made no call." };
  return {
    response_type: "in_channel",
    text: `Cycle done: ${link(`${publicUrl}/read/${view.dispatchNumber}`, `dispatch #${view.dispatchNumber}`)} is on its way.`,
  };
}

export function configReply(view: ConfigView): Reply {
  const changed = view.changed.length ? `Saved ${view.changed.join(", ")}.\n` : "";
  return only(
    `${changed}*Channel* ${view.channelId ? slackRef("#", view.channelId) : "not set (/config channel here)"}\n` +
      `*Schedule* \`${escapeText(view.schedule)}\` (${escapeText(view.timezone)}) · next ${view.nextCycles.map(when).join(", ")}\n` +
      `*Symbols* ${escapeText(view.symbols.join(", "))}\n` +
      `*Moderator group* ${view.moderatorRoleId ? slackRef("!subteam^", view.moderatorRoleId) : "workspace admins and owners only"}`,
  );
}

/** Slack ids are upper-case letters and digits; anything else is shown as text, never as a link. */
function slackRef(prefix: "#" | "!subteam^", id: string): string {
  return /^[A-Z0-9]+$/.test(id) ? `<${prefix}${id}>` : escapeText(id);
}

type ViewOf<C> = C extends CommandDeclaration<string, z.ZodType, infer View> ? View : never;

/** Slack's own rendering of each command's answer, typed on that command's view. */
type Renderers = { [C in Command as C["name"]]?: (view: ViewOf<C>, publicUrl: string) => Reply };

const RENDERERS: Renderers = {
  predict: predictReply,
  trail: trailReply,
  leaderboard: leaderboardReply,
  cycle: cycleReply,
  config: configReply,
  agree: stanceReply,
  fade: stanceReply,
};

/**
 * A command's answer as a Slack reply: by the command's Slack rendering, or else its plain text,
 * escaped, seen by everyone when the command answers publicly.
 */
export function commandReply(command: AnyCommand, view: unknown, publicUrl: string): Reply {
  // The registry pairs each name with its declaration, so this command's renderer takes its view.
  const render = RENDERERS[command.name as CommandName] as
    | ((view: unknown, publicUrl: string) => Reply)
    | undefined;
  if (render) return render(view, publicUrl);
  const text = escapeText(command.text(view));
  return command.answers === "public" ? { response_type: "in_channel", text } : only(text);
}

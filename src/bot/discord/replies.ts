import { type APIEmbed, type APIEmbedField, escapeMarkdown } from "discord.js";
import type { CallTrailView } from "../../commands/call-trail.ts";
import type { CallView } from "../../commands/call-view.ts";
import type { ConfigView } from "../../commands/config.ts";
import { type CycleNowView, skippedText } from "../../commands/cycle.ts";
import { type LeaderboardView, SKILL_NOTE, skillText } from "../../commands/leaderboard.ts";
import { stripBidi } from "../../commands/plain-text.ts";
import { entryText, type PredictView } from "../../commands/predict.ts";
import { sideBySideText } from "../../commands/side-by-side.ts";
import type { StanceView } from "../../commands/stance.ts";
import type { DeskTrailView, MemberTrailView, TrailView } from "../../commands/trail.ts";
import { arrowOf } from "../../domain/claims.ts";
import type { RecordSummary } from "../../resolution/records.ts";
import { calibrationChart } from "../charts/calibration.ts";
import { boardBars, leaderboardChart } from "../charts/leaderboard.ts";
import type { Chart } from "../charts/render.ts";
import { stamp } from "./dispatch-post.ts";

/** What a command answers on Discord; `ephemeral` replies only the member who asked can see. */
export interface Reply {
  ephemeral: boolean;
  content?: string;
  embeds?: APIEmbed[];
  files?: { attachment: Buffer; name: string }[];
}

const COLOUR = 0xf29900;
const pct = (p: number | null) => (p === null ? "—" : `${Math.round(p * 100)}%`);
const num = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A member's own words (name, note) as Discord shows them: no markdown, no masked links, no bidi. */
export const memberText = (text: string) =>
  // discord.js leaves links, headings and lists alone unless asked: a nick is never any of them.
  escapeMarkdown(stripBidi(text), {
    maskedLink: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
  });

export const errorReply = (error: string): Reply => ({ ephemeral: true, content: `⚠️ ${error}` });

function callLine(c: CallView): string {
  const head = `#${c.id} ${arrowOf(c.spec)} ${c.text} · ${pct(c.probability)}`;
  if (c.status === "open") return `${head} · resolves ${stamp(new Date(c.deadline))}`;
  const scored = c.result?.brier != null ? ` · Brier ${num(c.result.brier)}` : "";
  return `${head} · **${c.status.toUpperCase()}** ${c.result?.evidence ?? c.result?.voidReason ?? ""}${scored}`;
}

export function predictReply(view: PredictView): Reply {
  const c = view.call;
  if (view.replayed) return { ephemeral: true, content: `Already saved: ${callLine(c)}` };
  const who = c.author.type === "member" ? memberText(c.author.displayName) : "Desk";
  return { ephemeral: false, content: `📌 ${who} calls ${callLine(c)}${entryText(view)}` };
}

export function stanceReply(view: StanceView): Reply {
  if (view.replayed)
    return {
      ephemeral: true,
      content: `Already counted: you ${view.stance} with call #${view.deskCall.id}.`,
    };
  const replaced = view.replaced.length
    ? ` It replaces your earlier answer (#${view.replaced.join(", #")}).`
    : "";
  return {
    ephemeral: true,
    content:
      `You ${view.stance === "agree" ? "agree with" : "fade"} call #${view.deskCall.id} at ${pct(view.call.probability)}: ` +
      `your call is ${callLine(view.call)}, scored from the desk's entry.${replaced}`,
  };
}

export function cycleReply(view: CycleNowView, channelId: string | null): Reply {
  if (view.status === "already_running")
    return { ephemeral: true, content: "A cycle is already running for this server." };
  if (view.status === "skipped") return { ephemeral: true, content: skippedText(view) };
  const where = channelId
    ? `posting to <#${channelId}>`
    : "no channel is set (use /config channel), so it is on the web only";
  const what =
    view.dispatchNumber === null
      ? "The desk made no call this cycle."
      : `Dispatch #${view.dispatchNumber} written, ${where}.`;
  return { ephemeral: true, content: what };
}

export function configReply(view: ConfigView): Reply {
  const fields: APIEmbedField[] = [
    { name: "Channel", value: view.channelId ? `<#${view.channelId}>` : "not set", inline: true },
    {
      name: "Moderator role",
      value: view.moderatorRoleId ? `<@&${view.moderatorRoleId}>` : "Manage Server",
      inline: true,
    },
    { name: "Schedule", value: `\`${view.schedule}\` (${view.timezone})` },
    { name: "Next cycles", value: view.nextCycles.map((t) => stamp(new Date(t), "f")).join("\n") },
    { name: "Symbols", value: cut(view.symbols.join(", "), 1024) },
    { name: "Reactions", value: `${view.agreeEmoji} agree · ${view.fadeEmoji} fade`, inline: true },
    { name: "Verdicts", value: view.verdictInThread ? "in a thread" : "as replies", inline: true },
  ];
  const emojiChanged = view.changed.some((key) => key === "agreeEmoji" || key === "fadeEmoji");
  const changed = view.changed.length
    ? `Saved: ${view.changed.join(", ")}.${emojiChanged ? " New dispatches get the new reactions; earlier ones count them too." : ""}`
    : "Current settings.";
  return {
    ephemeral: true,
    embeds: [{ title: "Desk settings", description: changed, fields, color: COLOUR }],
  };
}

function summaryLine(s: RecordSummary): string {
  return (
    `${s.right}/${s.resolved} right (${pct(s.hitRate)}) · Brier ${num(s.meanBrier)} · ` +
    `baseline ${Math.round(s.baselineSum)} · skill vs coin ${num(s.brierSkillVsCoinFlip, 2)}` +
    (s.voids ? ` · ${s.voids} void` : "")
  );
}

async function png(chart: Promise<Chart>, name: string): Promise<Reply["files"]> {
  // A chart is a nicety: without fonts or on a render error the text answer still goes out.
  try {
    return [{ attachment: await (await chart).png(), name }];
  } catch {
    return [];
  }
}

function withChart(reply: Reply, files: Reply["files"]): Reply {
  const first = reply.embeds?.[0];
  if (!files?.length || !first) return reply;
  return { ...reply, files, embeds: [{ ...first, image: { url: `attachment://${files[0]?.name}` } }] };
}

export async function trailReply(view: TrailView, publicUrl: string): Promise<Reply> {
  if (view.kind === "call") return callTrailReply(view, publicUrl);
  if (view.kind === "desk") return deskTrailReply(view, publicUrl);
  return memberTrailReply(view, publicUrl);
}

async function memberTrailReply(view: MemberTrailView, publicUrl: string): Promise<Reply> {
  const recent =
    view.recent.map(callLine).join("\n") || "No calls yet: try /predict or press Agree on a dispatch.";
  const reply: Reply = {
    ephemeral: false,
    embeds: [
      {
        title: `Trail · ${memberText(view.member.displayName)}`,
        url: `${publicUrl}/u/discord/${encodeURIComponent(view.member.externalId)}`,
        description: cut(`${summaryLine(view.summary)}\n\n${recent}`, 4096),
        color: COLOUR,
      },
    ],
  };
  if (view.summary.resolved === 0) return reply;
  return withChart(reply, await png(calibrationChart(view.summary.calibration), "calibration.png"));
}

function deskTrailReply(view: DeskTrailView, publicUrl: string): Reply {
  const cuts = (title: string, breakdown: Record<string, RecordSummary>): APIEmbedField => ({
    name: title,
    value:
      cut(
        Object.entries(breakdown)
          .map(([key, s]) => `${key}: ${s.right}/${s.resolved} · Brier ${num(s.meanBrier)}`)
          .join("\n"),
        1024,
      ) || "—",
    inline: true,
  });
  const r = view.record;
  return {
    ephemeral: false,
    embeds: [
      {
        title: "Trail · the desk",
        url: `${publicUrl}/leaderboard`,
        description: summaryLine(r.overall),
        fields: [
          cuts("By mind", r.byMind),
          cuts("By regime", r.byRegime),
          cuts("By asset", r.bySymbol),
          cuts("By horizon", r.byHorizon),
        ],
        color: COLOUR,
      },
    ],
  };
}

function callTrailReply(view: CallTrailView, publicUrl: string): Reply {
  const c = view.call;
  const fields: APIEmbedField[] = [];
  if (view.observations.length)
    fields.push({
      name: "Inputs",
      value: cut(
        view.observations
          .map(
            (o) =>
              `${o.symbol ?? o.kind} ${o.value ?? "missing"} · ${o.source}${o.flags.length ? ` ⚑ ${o.flags.join(", ")}` : ""}`,
          )
          .join("\n"),
        1024,
      ),
    });
  if (view.minds.length)
    fields.push({
      name: "Minds (opening → after debate)",
      value: cut(
        view.minds
          .map((m) => {
            const s = (r: typeof m.round1) =>
              !r ? "—" : r.abstained ? "abstain" : `${r.direction} ${pct(r.probability)}`;
            return `${m.mind}: ${s(m.round1)} → ${s(m.round2)}`;
          })
          .join("\n"),
        1024,
      ),
    });
  if (view.dispatch) fields.push({ name: "Thesis", value: cut(view.dispatch.thesis, 1024) });
  fields.push({
    name: "Call",
    value: `${callLine(c)}\nlocks ${stamp(new Date(c.lockAt), "f")} · hash \`${view.chain.hash.slice(0, 16)}\``,
  });
  if (view.receiptLine) fields.push({ name: "Verdict receipt", value: cut(view.receiptLine, 1024) });
  if (c.author.type === "desk")
    fields.push({
      name: "Members",
      value: `↑ ${view.responses.agree} agree · ↓ ${view.responses.fade} fade`,
      inline: true,
    });
  if (view.sideBySide)
    fields.push({ name: "Crowd, desk and base rate", value: cut(sideBySideText(view.sideBySide), 1024) });
  if (view.parent) fields.push({ name: "Answers", value: callLine(view.parent) });
  if (view.lesson)
    fields.push({ name: `Lesson: ${cut(view.lesson.title, 240)}`, value: cut(view.lesson.body, 1024) });
  return {
    ephemeral: false,
    embeds: [
      {
        title: `Trail · call #${c.id}`,
        url: `${publicUrl}/trail/${c.id}`,
        fields: fields.slice(0, 25),
        color: COLOUR,
      },
    ],
  };
}

export async function leaderboardReply(view: LeaderboardView, publicUrl: string): Promise<Reply> {
  const lines = view.rows.map((r) => {
    const who = r.isDesk ? `**${r.name}**` : `${r.rank}. ${memberText(r.name)}${r.beatsDesk ? " ⭐" : ""}`;
    return `${who} · ${skillText(r)} vs ${r.against} · ${r.right}/${r.resolved} · ${r.verdict}`;
  });
  const floor = view.belowFloor ? `\n${view.belowFloor} more below the ${view.minResolved}-call floor.` : "";
  const reply: Reply = {
    ephemeral: false,
    embeds: [
      {
        title: `Leaderboard · ${view.season === "all" ? "all time" : view.season}`,
        url: `${publicUrl}/leaderboard`,
        description: cut(`${SKILL_NOTE}\n${lines.join("\n")}${floor}\n⭐ beats the desk head to head`, 4096),
        color: COLOUR,
      },
    ],
  };
  return withChart(reply, await png(leaderboardChart(boardBars(view)), "leaderboard.png"));
}

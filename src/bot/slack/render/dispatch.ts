import { type SideBySide, sideBySideText } from "../../../commands/side-by-side.ts";
import { anchoredLine } from "../../../domain/anchor.ts";
import { decidedByText, describeCall } from "../../../domain/call.ts";
import { type CallRecord, isOpenForAnswers, specOf } from "../../../domain/call-record.ts";
import { arrowOf } from "../../../domain/claims.ts";
import { type DispatchRecord, NO_RESPONSES, type ResponseCounts } from "../../../domain/dispatch.ts";
import { escapeText, link, pct, trimText, when } from "../mrkdwn.ts";
import type { Block } from "../web-api.ts";

/** Action ids of the buttons under each call; the listeners match on them. */
export const ACTIONS = {
  agree: "tapereader_agree",
  fade: "tapereader_fade",
  counter: "tapereader_counter",
} as const;

/** Slack's limits: a header holds 150 characters, a section 3000; the rest lives on the web page. */
const HEADER_MAX = 150;
const ESSAY_MAX = 2400;

export interface RenderOptions {
  publicUrl: string;
  now: Date;
}

type Counts = ReadonlyMap<number, ResponseCounts>;

/** A dispatch as a Block Kit message; rendered again, with fresh counts and verdicts, on every update. */
export function dispatchMessage(d: DispatchRecord, counts: Counts, options: RenderOptions) {
  const { publicUrl, now } = options;
  const flags = [
    d.cycle.marketSource === "simulated" ? "[simulated market]" : "",
    d.flags.includes("model_fallback") ? "[model fell back to offline]" : "",
  ].filter(Boolean);
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: clip(`Dispatch #${d.number} · ${d.title}`, HEADER_MAX) },
    },
    context(
      [`TAPEREADER DESK · Cycle ${d.cycle.number}`, when(d.createdAt), d.cycle.regime ?? "", ...flags]
        .filter(Boolean)
        .map(escapeText)
        .join(" · "),
    ),
    section(
      `${trimText(d.body, ESSAY_MAX)}\n${link(`${publicUrl}/read/${d.number}`, "Full dispatch & trail →")}`,
    ),
  ];
  d.calls.forEach((call, i) => {
    blocks.push(section(callText(call, i, counts.get(call.id) ?? NO_RESPONSES, publicUrl)));
    if (isOpenForAnswers(call, now)) blocks.push(callButtons(call.id));
  });
  if (d.calls.length === 0) blocks.push(section("_No call this cycle._"));
  const hint = d.calls.length ? " · React :arrow_up: to agree with or :arrow_down: to fade CALL 1" : "";
  blocks.push(context(`${escapeText(d.debateLine)}${hint}`));
  blocks.push(context(`${anchoredLine(d.anchor)} · ${link(`${publicUrl}/anchors`, "anchors")}`));
  const text = `Dispatch #${d.number}: ${d.title}`;
  return { text: escapeText(text), blocks };
}

function callText(call: CallRecord, i: number, tally: ResponseCounts, publicUrl: string): string {
  const spec = specOf(call);
  const head = `*CALL ${i + 1}* ${arrowOf(spec)} ${escapeText(describeCall(spec))} · *${pct(call.probability)}*`;
  const state =
    call.status === "open"
      ? `locks ${when(call.lockAt)} · ${decidedByText(spec)} · resolves ${when(call.deadline)}`
      : verdictText(call);
  const answers = `:arrow_up: ${tally.agree} agree · :arrow_down: ${tally.fade} fade · ${link(`${publicUrl}/trail/${call.id}`, `trail #${call.id}`)}`;
  return `${head}\n${state}\n${answers}`;
}

/** "RIGHT · QQQ 577.18 → 584.98 (+1.35%) · Brier 0.144 · baseline 48", or the void's reason. */
export function verdictText(call: CallRecord): string {
  if (call.status === "void") return `*VOID* · ${escapeText(call.voidReason ?? "no verdict")}`;
  const scores =
    call.brier === null
      ? ""
      : ` · Brier ${call.brier.toFixed(3)} · baseline ${Math.round(call.baselineScore ?? 0)}`;
  return `*${call.status.toUpperCase()}* · ${escapeText(call.evidence ?? "")}${scores}`;
}

/** The short reply under the post once a call resolves, with who gained by answering it. */
export function verdictReply(
  call: CallRecord,
  index: number,
  tally: ResponseCounts,
  side: SideBySide | null = null,
): string {
  const line = `CALL ${index + 1} resolved ${verdictText(call)}${gainers(call, tally)}`;
  return side ? `${line}\n${escapeText(sideBySideText(side))}` : line;
}

function gainers(call: CallRecord, tally: ResponseCounts): string {
  if (call.status === "right" && tally.agreeRight) return ` · ${members(tally.agreeRight)} agreed and gained`;
  if (call.status === "wrong" && tally.fadeRight) return ` · ${members(tally.fadeRight)} faded it and gained`;
  return "";
}

const members = (n: number) => `${n} member${n === 1 ? "" : "s"}`;

function callButtons(callId: number): Block {
  const button = (actionId: string, label: string, style?: "primary" | "danger") => ({
    type: "button" as const,
    action_id: actionId,
    value: String(callId),
    text: { type: "plain_text" as const, text: label },
    ...(style && { style }),
  });
  return {
    type: "actions",
    block_id: `call-${callId}`,
    elements: [
      button(ACTIONS.agree, "Agree", "primary"),
      button(ACTIONS.fade, "Fade", "danger"),
      button(ACTIONS.counter, "Counter-call…"),
    ],
  };
}

export function section(text: string): Block {
  return { type: "section", text: { type: "mrkdwn", text } };
}

export function context(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

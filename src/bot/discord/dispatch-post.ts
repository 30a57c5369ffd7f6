import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { type SideBySide, sideBySideText } from "../../commands/side-by-side.ts";
import { anchoredLine } from "../../domain/anchor.ts";
import { decidedByText, describeCall } from "../../domain/call.ts";
import { type CallRecord, isOpenForAnswers, specOf } from "../../domain/call-record.ts";
import { arrowOf } from "../../domain/claims.ts";
import { type DispatchRecord, NO_RESPONSES, type ResponseCounts } from "../../domain/dispatch.ts";

/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const LIMITS = { title: 256, description: 4096, fieldValue: 1024, footer: 2048, total: 6000 };
/** Five action rows per message: one row of buttons per call, so at most five calls get buttons. */
const MAX_BUTTON_ROWS = 5;
const DESK_COLOUR = 0xf29900;

export type ButtonAction = "agree" | "fade" | "counter";
/** custom_id of a dispatch button, and of the counter-call modal it opens: the call id rides along. */
export const customId = (action: ButtonAction | "counter-call", callId: number) => `tr:${action}:${callId}`;

export function parseCustomId(id: string): { action: ButtonAction | "counter-call"; callId: number } | null {
  const match = /^tr:(agree|fade|counter|counter-call):(\d{1,9})$/.exec(id);
  if (!match) return null;
  return { action: match[1] as ButtonAction | "counter-call", callId: Number(match[2]) };
}

/** `<t:…:R>` renders in each reader's own timezone and counts down live. */
export const stamp = (moment: Date, style: "R" | "f" | "t" = "R") =>
  `<t:${Math.floor(moment.getTime() / 1000)}:${style}>`;

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** "**WRONG** · QQQ 604.10 → 611.72 (+1.26%) · Brier 0.325 · baseline -22" */
function resultText(call: CallRecord): string {
  const scores =
    call.brier !== null
      ? ` · Brier ${call.brier.toFixed(3)} · baseline ${Math.round(call.baselineScore ?? 0)}`
      : "";
  const why = call.status === "void" ? ` (${call.voidReason ?? "void"})` : "";
  return `**${call.status.toUpperCase()}**${why} · ${call.evidence ?? ""}${scores}`;
}

/** The reply that announces a verdict, with how the members who answered the call fared. */
export function verdictLine(
  call: CallRecord,
  counts: ResponseCounts,
  side: SideBySide | null = null,
): string {
  const line = `CALL #${call.id} resolved ${resultText(call)}${crowdLine(call.status, counts)}`;
  return side ? `${line}\n${sideBySideText(side)}` : line;
}

function crowdLine(status: string, c: ResponseCounts): string {
  if (status === "void" || c.agree + c.fade === 0) return "";
  const winners = status === "right" ? c.agreeRight : c.fadeRight;
  const side = status === "right" ? "agreed" : "faded";
  return ` · ${winners} member${winners === 1 ? "" : "s"} ${side} and ${winners === 1 ? "was" : "were"} right`;
}

function callField(call: CallRecord, index: number, counts: ResponseCounts): APIEmbedField {
  const spec = specOf(call);
  const head = `CALL ${index + 1} ${arrowOf(spec)} ${describeCall(spec)} · ${pct(call.probability)}`;
  const timing =
    call.status === "open"
      ? `locks ${stamp(call.lockAt)} · ${decidedByText(spec)} · resolves ${stamp(call.deadline, "f")} (${stamp(call.deadline)})`
      : resultText(call);
  const crowd = `\n↑ ${counts.agree} agree · ↓ ${counts.fade} fade`;
  return {
    name: head.slice(0, LIMITS.title),
    value: `#${call.id} · ${timing}${crowd}`.slice(0, LIMITS.fieldValue),
  };
}

/**
 * The essay without what the embed already shows as live fields and footer: the paragraph listing
 * the calls (its times would not count down) and the debate line. The web page keeps the full text.
 */
function essayOf(body: string, debateLine: string): string {
  return body
    .split("\n\n")
    .filter((p) => p.trim() !== debateLine.trim() && !/^CALL \d+ /m.test(p))
    .join("\n\n");
}

/** The essay, cut at a paragraph or sentence so the total stays inside Discord's 6000 characters. */
function trimmed(body: string, room: number, link: string): string {
  const more = `\n\n[Full dispatch & trail →](${link})`;
  if (body.length + more.length <= room) return body + more;
  const cut = body.slice(0, Math.max(0, room - more.length - 1));
  const at = Math.max(cut.lastIndexOf("\n\n"), cut.lastIndexOf(". ") + 1);
  return `${(at > room / 2 ? cut.slice(0, at) : cut).trimEnd()}…${more}`;
}

export interface DispatchPost {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/**
 * The dispatch as a Discord message: one embed (title, essay, a field per call with its lock and
 * deadline, the debate line) and a row of Agree / Fade / Counter-call… per call while it is open.
 */
export function dispatchPost(
  d: DispatchRecord,
  /** A call missing here counts as unanswered. */
  counts: ReadonlyMap<number, ResponseCounts>,
  publicUrl: string,
  now: Date,
): DispatchPost {
  const link = `${publicUrl}/read/${d.number}`;
  const flags = [
    d.cycle.marketSource === "simulated" && "simulated market",
    ...d.flags.filter((f) => f !== "simulated_market"),
  ];
  const author = `TAPEREADER DESK · Dispatch #${d.number} · cycle ${d.cycle.number}${d.cycle.regime ? ` · ${d.cycle.regime}` : ""}`;
  const fields = d.calls.length
    ? d.calls.map((call, i) => callField(call, i, counts.get(call.id) ?? NO_RESPONSES))
    : [{ name: "No call this cycle", value: "The desk saw no edge worth a call." }];
  const footer = [d.debateLine, ...flags.filter(Boolean).map((f) => `[${f}]`), anchoredLine(d.anchor)]
    .join("  ")
    .slice(0, LIMITS.footer);
  const title = d.title.slice(0, LIMITS.title);
  const used =
    title.length +
    author.length +
    footer.length +
    fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const embed: APIEmbed = {
    author: { name: author },
    title,
    url: link,
    description: trimmed(
      essayOf(d.body, d.debateLine),
      Math.min(LIMITS.description, LIMITS.total - used - 10),
      link,
    ),
    fields,
    footer: { text: footer },
    timestamp: d.createdAt.toISOString(),
    color: DESK_COLOUR,
  };
  const multiple = d.calls.length > 1;
  const components = d.calls.slice(0, MAX_BUTTON_ROWS).map((call, i) => {
    // Agree/fade close at the lock; a counter-call is the member's own call at their own price.
    const answerable = isOpenForAnswers(call, now);
    const label = (text: string) => (multiple ? `${text} ${i + 1}` : text);
    const button = (
      action: ButtonAction,
      text: string,
      style: ButtonStyle.Success | ButtonStyle.Danger | ButtonStyle.Secondary,
    ): APIButtonComponent => ({
      type: ComponentType.Button,
      custom_id: customId(action, call.id),
      label: label(text),
      style,
      disabled: action === "counter" ? call.status !== "open" : !answerable,
    });
    return {
      type: ComponentType.ActionRow,
      components: [
        button("agree", "Agree", ButtonStyle.Success),
        button("fade", "Fade", ButtonStyle.Danger),
        button("counter", "Counter-call…", ButtonStyle.Secondary),
      ],
    } satisfies APIActionRowComponent<APIButtonComponent>;
  });
  return { embeds: [embed], components };
}

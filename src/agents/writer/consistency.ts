import type { CallSpec } from "../../domain/call.ts";
import { arrowOf } from "../../domain/claims.ts";
import type { Snapshot } from "../../domain/observation.ts";
import type { MarketFeatures } from "../features.ts";
import { displaySymbol } from "./format.ts";

/**
 * The checker every dispatch passes before it is published, whoever wrote it: a sentence that says
 * a subject rose or fell must agree with the snapshot's number for that subject, the title may not
 * point against the headline call, and a mind's percentage in the body must be the debate line's.
 */

type Period = "day" | "week" | "month";
type Move = Record<Period, number | null>;

/** What the snapshot measured for each subject a sentence can name. */
export interface Measured {
  moves: Map<string, Move>;
}

export function measuredOf(features: MarketFeatures, snapshot?: Snapshot): Measured {
  const moves = new Map<string, Move>();
  for (const f of features.symbols.values()) {
    moves.set(f.symbol, { day: f.changePct, week: f.change5dPct, month: f.change20dPct });
  }
  if (features.vix) moves.set("VIX", moves.get(features.vix.symbol) as Move);
  const tenYear = features.macro.DGS10;
  if (tenYear)
    moves.set("DGS10", { day: dailyChange(snapshot, "DGS10"), week: null, month: tenYear.change20 });
  return { moves };
}

/** The latest print minus the one before it, from the observation's payload, when the snapshot has it. */
export function dailyChange(snapshot: Snapshot | undefined, series: string): number | null {
  const obs = snapshot?.observations.find((o) => o.kind === "macro" && o.symbol === series);
  const previous = (obs?.payload as { previous?: unknown } | undefined)?.previous;
  return obs?.value != null && typeof previous === "number" ? obs.value - previous : null;
}

interface Subject {
  pattern: RegExp;
  keys: string[];
  label: string;
}

function subjectsOf(measured: Measured): Subject[] {
  const has = (key: string) => measured.moves.has(key);
  const group = (pattern: RegExp, keys: string[], label: string): Subject[] => {
    const present = keys.filter(has);
    return present.length ? [{ pattern, keys: present, label }] : [];
  };
  const tickers = [...measured.moves.keys()]
    .filter((key) => key !== "VIX" && key !== "DGS10")
    .map((key) => displaySymbol(key))
    .sort((a, b) => b.length - a.length)
    .map((name) => ({
      pattern: new RegExp(`(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`, "g"),
      keys: [measured.moves.has(name) ? name : `^${name}`],
      label: name,
    }))
    .filter((s) => !["VIX"].includes(s.label));
  return [
    ...tickers,
    ...group(
      /\b(?:equities|stocks|the market|the indices|the indexes|the index|shares)\b/gi,
      ["SPY", "QQQ"],
      "equities",
    ),
    ...group(/\b(?:the S&P(?: 500)?|S&P 500)\b/gi, ["SPY"], "the S&P 500"),
    ...group(/\b(?:the Nasdaq|tech stocks)\b/gi, ["QQQ"], "the Nasdaq"),
    ...group(/\b(?:small caps|small-caps|the Russell(?: 2000)?)\b/gi, ["IWM"], "small caps"),
    ...group(/\b(?:bitcoin|crypto)\b/gi, ["BTC-USD"], "bitcoin"),
    ...group(/(?<![\w-])BTC(?![\w-])/g, ["BTC-USD"], "BTC"),
    ...group(/\b(?:ether)\b|(?<![\w-])ETH(?![\w-])/gi, ["ETH-USD"], "ether"),
    ...group(
      /\b(?:VIX|volatility|the fear gauge|protection|insurance|the price of protecting \w+)\b/gi,
      ["VIX"],
      "VIX",
    ),
    ...group(
      /\b(?:yields?|the 10-year|10Y|the ten-year|Treasur(?:y|ies))\b/gi,
      ["DGS10"],
      "the 10-year yield",
    ),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const UP_WORDS =
  "rose|rises|risen|rising|gained|gains|climbed|climbs|climbing|rallied|rallies|rallying|jumped|jumps|surged|surges|spiked|spikes|advanced|advances|bounced|bounces|rebounded|rebounds|firmed|popped|ticked up|(?:is|was|were|are|closed|ended|finished|moved|went) (?:up|higher)";
const DOWN_WORDS =
  "fell|falls|fallen|falling|slipped|slips|slipping|dropped|drops|dropping|declined|declines|sank|sinks|slid|slides|sliding|tumbled|tumbles|lost|loses|sold off|sells off|selling off|eased|eases|retreated|retreats|plunged|plunges|slumped|slumps|gave back|gives back|ticked down|(?:is|was|were|are|closed|ended|finished|moved|went) (?:down|lower)";
const DIRECTION = new RegExp(`\\b(?:(${UP_WORDS})|(${DOWN_WORDS}))\\b`, "gi");
/** A clause about what may happen, or what did not, claims nothing about the snapshot. */
const NOT_A_CLAIM =
  /\b(?:will|would|could|might|should|if|unless|expect\w*|bet\w*|call\w*|odds|likely|tomorrow|next|from here|not|never|no|n't|whether|until|before|wrong)\b|\bin \d+h\b/i;
const SIGNED_PCT = /^\s*(?:[\d,]+(?:\.\d+)?\s*)?\(?\s*([+\-−±])(\d+(?:\.\d+)?)%/;

export interface Contradiction {
  sentence: string;
  subject: string;
  said: string;
  measured: number;
}

/** Yields are quoted as levels ("10Y 3.15%"), never as a signed change in percent. */
function isYield(s: Subject): boolean {
  return s.keys.includes("DGS10");
}

function periodOf(clause: string): Period | null {
  if (/\b(?:year|quarter|50-day|200-day|since)\b/i.test(clause)) return null;
  if (/\b(?:five|5)[ -](?:sessions|days|trading days)\b|\b(?:this|the|a) week\b/i.test(clause)) return "week";
  if (/\b(?:twenty|20)[ -](?:sessions|days)\b|\bmonth\b/i.test(clause)) return "month";
  return "day";
}

/** Text the desk quotes (a headline, a model's phrase) is attributed data, not its own claim. */
function unquoted(text: string): string {
  return text.replace(/“[^”]*”|"[^"\n]*"/g, " ");
}

function clausesOf(text: string): string[] {
  return unquoted(text)
    .split(/(?<=[.!?])\s+|\n+|[;:·]|\s+(?:but|while|whereas|although|though|yet)\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Every clause whose direction word (or signed percentage) goes against the snapshot's number. */
export function contradictions(text: string, measured: Measured): Contradiction[] {
  const subjects = subjectsOf(measured);
  const found: Contradiction[] = [];
  for (const clause of clausesOf(text)) {
    const period = periodOf(clause);
    const hits = subjects.flatMap((s) =>
      [...clause.matchAll(s.pattern)].map((m) => ({ s, at: m.index, end: m.index + m[0].length })),
    );
    hits.sort((a, b) => a.at - b.at);
    // A shorter name inside a longer one (BTC in BTC-USD) is the same mention.
    const mentions = hits.filter(
      (h, i) =>
        !hits.some((o, j) => j !== i && o.at <= h.at && o.end >= h.end && o.end - o.at > h.end - h.at),
    );
    const check = (s: Subject, said: string, sign: number, over: Period, size?: number) => {
      for (const key of s.keys) {
        const value = measured.moves.get(key)?.[over];
        if (value == null) continue;
        // A quoted size may be rounded to one decimal; beyond that it is a different number.
        const off = size !== undefined && Math.abs(Math.abs(value) - size) > 0.06;
        if (Math.sign(value) !== sign || off)
          found.push({ sentence: clause, subject: s.label, said, measured: value });
      }
    };
    for (const m of mentions) {
      const rest = clause.slice(m.end);
      const signed = SIGNED_PCT.exec(rest);
      // The words right after the number say what span it covers: "+2.5% over twenty sessions".
      const over = signed && periodOf(rest.slice(signed[0].length).split(/[,;)]/)[0] as string);
      if (signed && over && signed[1] !== "±" && !isYield(m.s))
        check(m.s, signed[0].trim(), signed[1] === "+" ? 1 : -1, over, Number(signed[2]));
    }
    if (period === null || NOT_A_CLAIM.test(clause)) continue;
    let waiting: Subject[] = [];
    let cursor = 0;
    for (const word of clause.matchAll(DIRECTION)) {
      waiting = [...waiting, ...mentions.filter((m) => m.at >= cursor && m.at < word.index).map((m) => m.s)];
      cursor = word.index + word[0].length;
      for (const s of waiting) check(s, word[0], word[1] ? 1 : -1, period);
      if (waiting.length) waiting = [];
    }
  }
  return found;
}

function describeContradiction(c: Contradiction): string {
  const shown =
    c.subject === "the 10-year yield" ? `${c.measured.toFixed(2)} pts` : `${c.measured.toFixed(2)}%`;
  return `"${c.sentence}" says ${c.subject} ${c.said}, the snapshot has ${shown}`;
}

/**
 * Words that give a title a side. "Gives some back" and "fade" are left out: after a fall they mean
 * up. "Up"/"down" before a number state what happened ("Down 3%"); that is the sentence check's.
 */
const TITLE_UP = /\b(?:higher|upside|rebounds?|bounces?|recovers?|long)\b|(?<!\badd )\bup\b(?!\s*[+\-−]?\d)/i;
const TITLE_DOWN = /\b(?:lower|downside|hedge|short|rolls? over)\b|\bdown\b(?!\s*[+\-−]?\d)/i;

/** The arrow of a call, or null for a kind with no up or down side (a range: ↔ inside, ↕ outside). */
function sideOf(call: CallSpec): "↑" | "↓" | null {
  const arrow = arrowOf(call);
  return arrow === "↑" || arrow === "↓" ? arrow : null;
}

/** A title that points against the headline call, or points anywhere when the call has no side. */
export function titleProblem(title: string, headline: CallSpec | undefined): string | null {
  if (!headline) return null;
  const side = sideOf(headline);
  const up = TITLE_UP.test(title);
  const down = TITLE_DOWN.test(title);
  if ((side === "↑" && down) || (side === "↓" && up) || (side === null && (up || down)))
    return `the title "${title}" points against the headline call (${side ?? "no side"})`;
  return null;
}

const MINDS = ["Macro", "Flow", "Contrarian"] as const;

/** `Macro 61% | Flow —`: each mind's number as the debate line shows it ("—" for an abstention). */
function debateNumbers(line: string): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const part of line.split("|").map((p) => p.trim())) {
    const m = /^(\w+):? (\d+%|—)$/.exec(part);
    if (m) numbers.set(m[1] as string, m[2] as string);
  }
  return numbers;
}

/** A percentage the body gives a mind, or the conviction, that the debate line does not. */
export function debateProblems(body: string, line: string): string[] {
  const numbers = debateNumbers(line);
  const problems: string[] = [];
  const lines = body.split("\n").filter((l) => !l.startsWith("Debate:") && !l.startsWith("CALL "));
  for (const clause of lines.flatMap((l) => l.split(/(?<=[.!?])\s+|[;:·(),]/))) {
    for (const name of [...MINDS, "Conviction"]) {
      const mention = new RegExp(`\\b${name}\\b(?!-)`, "i").exec(clause);
      if (!mention) continue;
      const after = clause.slice(mention.index + name.length);
      const until = MINDS.map((m) => after.search(new RegExp(`\\b${m}\\b`))).filter((i) => i >= 0);
      const own = after.slice(0, until.length ? Math.min(...until) : undefined);
      const pct = /(\d+)%/.exec(own)?.[0];
      const expected = numbers.get(name);
      if (pct && expected !== undefined && pct !== expected)
        problems.push(`the body gives ${name} ${pct}, the debate line ${expected}`);
    }
  }
  return problems;
}

export interface TextCheck {
  title: string;
  body: string;
  debateLine: string;
  headline: CallSpec | undefined;
  measured: Measured;
}

/** Everything wrong with a dispatch's words, as sentences a reader (or the trail) can follow. */
export function checkText(text: TextCheck): string[] {
  return [
    ...contradictions(`${text.title}.\n${text.body}`, text.measured).map(describeContradiction),
    ...[titleProblem(text.title, text.headline)].filter((p): p is string => p !== null),
    ...debateProblems(text.body, text.debateLine),
  ];
}

import type { Observation, Snapshot } from "../../domain/observation.ts";
import type { MarketFeatures, SymbolFeatures } from "../features.ts";
import { fenceUntrusted } from "../sanitize.ts";
import { dailyChange } from "./consistency.ts";
import { displaySymbol, percent, price, signedPct } from "./format.ts";

/**
 * The day's facts, each scored by how unusual it is on one scale (roughly: standard deviations
 * from an ordinary day), so the essay can open on the one a reader would not expect.
 */
export interface Fact {
  kind: "move" | "vix" | "yield" | "cpi" | "fed" | "breadth" | "headline" | "filing";
  /** The symbol or series the fact is about. */
  subject: string;
  score: number;
  /** A few words for a title: "MSFT -4.46%", "VIX at 27.75". */
  hook: string;
  /** Sentences stating the fact, each a different way to say it (the writer rotates through them). */
  says: readonly string[];
  /** The same, worded to follow another fact rather than to open; absent means `says` serves. */
  also?: readonly string[];
}

const DAY = 86_400_000;

function abs(value: number, digits = 2): string {
  return `${Math.abs(value).toFixed(digits)}%`;
}

function moveFact(f: SymbolFeatures): Fact | null {
  if (f.changePct === null || f.moveZ === null || f.last === null) return null;
  const sym = displaySymbol(f.symbol);
  const up = f.changePct > 0;
  const verb = up ? ["rose", "gained", "climbed", "added"] : ["fell", "lost", "dropped", "slid"];
  const z = Math.abs(f.moveZ).toFixed(1);
  const size = abs(f.changePct);
  return {
    kind: "move",
    subject: f.symbol,
    score: Math.abs(f.moveZ),
    hook: `${sym} ${f.changePct > 0 ? "+" : "-"}${size}`,
    says: [
      `${sym} ${verb[0]} ${size} in the last session, about ${z} times its usual daily swing.`,
      `The move that stands out is ${sym}: it ${verb[1]} ${size} to ${price(f.last)}, a ${z}-sigma day by its own last month.`,
      `${sym} ${verb[2]} ${size} to ${price(f.last)}. Against twenty sessions of its own volatility that is ${z} standard deviations.`,
      `Nothing on my screen moved like ${sym}, which ${verb[3]} ${size} (${z} sigma).`,
      `Start with ${sym}: it ${verb[0]} ${size}, roughly ${z} of its typical daily moves in one go.`,
    ],
    also: [
      `${sym} ${verb[1]} ${size} as well, a ${z}-sigma day of its own.`,
      `Add ${sym} to that: ${verb[2]} ${size}, ${z} times its usual swing.`,
      `${sym} also ${verb[0]} ${size} (${z} sigma).`,
      `Not far behind, ${sym} ${verb[3]} ${size}, ${z} standard deviations.`,
    ],
  };
}

function vixFact(vix: SymbolFeatures): Fact | null {
  if (vix.last === null || vix.changePct === null) return null;
  const level = vix.last.toFixed(2);
  const up = vix.changePct > 0;
  const size = abs(vix.changePct, 1);
  // A 10% day in VIX is about one of its standard deviations; above 30 is stress in itself.
  const score = Math.abs(vix.changePct) / 10 + (vix.last >= 30 ? 1.5 : vix.last >= 25 ? 0.5 : 0);
  const moved = up ? "jumped" : "eased";
  return {
    kind: "vix",
    subject: vix.symbol,
    score,
    hook: `VIX at ${level}`,
    says: [
      `VIX ${moved} ${size} to ${level}.`,
      `The fear gauge is at ${level}, ${up ? "up" : "down"} ${size} on the day.`,
      `VIX ${up ? "rose" : "fell"} ${size} and now reads ${level}.`,
      `Volatility ${up ? "climbed" : "retreated"}: VIX ${level}, ${up ? "+" : "-"}${size}.`,
      `VIX closed at ${level} after ${up ? "rising" : "falling"} ${size}.`,
    ],
  };
}

function macroObs(snapshot: Snapshot, series: string): Observation | undefined {
  return snapshot.observations.find((o) => o.kind === "macro" && o.symbol === series && o.value !== null);
}

function yieldFact(snapshot: Snapshot): Fact | null {
  const obs = macroObs(snapshot, "DGS10");
  const change = dailyChange(snapshot, "DGS10");
  if (!obs || obs.value === null || change === null || change === 0) return null;
  const bp = Math.round(Math.abs(change) * 100);
  const up = change > 0;
  const level = `${obs.value.toFixed(2)}%`;
  return {
    kind: "yield",
    subject: "DGS10",
    hook: `the 10-Year at ${level}`,
    // Seven basis points is about one ordinary day's move in the 10-year.
    score: Math.abs(change) / 0.07,
    says: [
      `The 10-year yield ${up ? "rose" : "fell"} ${bp} basis points to ${level}.`,
      `Treasuries moved: the 10-year ${up ? "climbed" : "slipped"} ${bp} bp, to ${level}.`,
      `Yields ${up ? "jumped" : "dropped"} ${bp} basis points at the 10-year (now ${level}).`,
      `The 10-year ended at ${level}, ${up ? "up" : "down"} ${bp} bp on the day.`,
    ],
  };
}

/** A monthly print is news for about two weeks after it lands, and most of all on the day. */
function freshness(obs: Observation, at: Date): number {
  const age = (at.getTime() - obs.asOf.getTime()) / DAY;
  if (age < 0 || age > 21) return 0;
  return age <= 2 ? 1.5 : age <= 7 ? 0.8 : 0.5;
}

function cpiFact(snapshot: Snapshot, yoy: number | null): Fact | null {
  const obs = macroObs(snapshot, "CPIAUCSL");
  const payload = obs?.payload as { previous?: unknown; date?: unknown } | undefined;
  if (!obs || obs.value === null || typeof payload?.previous !== "number" || typeof payload.date !== "string")
    return null;
  const mom = (obs.value / payload.previous - 1) * 100;
  const annual = ((1 + mom / 100) ** 12 - 1) * 100;
  const age = (snapshot.at.getTime() - printedAt(obs, payload.date).getTime()) / DAY;
  // A print is news for a few weeks; after that it is backdrop, worth a line only while inflation is
  // far from the 2% target (by the year's rate when known: one month's pace swings too much).
  const farFromTarget = Math.abs((yoy ?? annual) - 2) >= 1.5;
  if (age < 0 || age > 45 || (age > 7 && !farFromTarget)) return null;
  const month = monthName(payload.date);
  const year = yoy === null ? "" : `, ${signedPct(yoy, 1)} on the year`;
  const m = signedPct(mom, 2);
  const a = signedPct(annual, 1);
  const fresh = age <= 2 ? 1.5 : age <= 7 ? 0.8 : age <= 21 ? 0.5 : 0.3;
  return {
    kind: "cpi",
    subject: "CPIAUCSL",
    hook: `CPI ${m} in ${month.split(" ")[0]}`,
    // About 0.2% a month is the Fed's target; a print 0.2 points away from it is a surprise.
    score: (0.5 + Math.abs(mom - 0.2) / 0.2) * fresh,
    says:
      age <= 7
        ? [
            `The latest CPI print, for ${month}: consumer prices ${m} on the month${year}; that month alone runs at a ${a} annual pace.`,
            `Inflation is news again: CPI for ${month} came in at ${m} month on month${year}; the month alone annualises to ${a}.`,
            `CPI is the number I keep rereading: ${month} printed ${m}${year}; that single month compounds to ${a} a year.`,
            `The latest CPI (${month}) shows ${m} monthly${year}; at that month's pace, ${a} a year.`,
          ]
        : [
            `Inflation is the backdrop: the last CPI I can see, for ${month}, ran ${m} on the month${year}.`,
            `Underneath all of it, prices: CPI for ${month} was ${m} on the month${year}, the latest print in my data.`,
            `The inflation backdrop has not changed: ${month}'s CPI, the newest I have, was ${m} on the month${year}.`,
          ],
  };
}

/**
 * When a CPI print most likely came out. A source without release dates makes it visible only from
 * the first day of M+2 (never early), but BLS publishes mid M+1: dating it by visibility would call a
 * three-week-old print the day's news.
 */
function printedAt(obs: Observation, month: string): Date {
  const d = new Date(`${month.slice(0, 10)}T00:00:00Z`);
  const typical = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 13, 12, 30);
  return new Date(Math.min(obs.asOf.getTime(), typical));
}

function monthName(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? date
    : d.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}

function fedFact(snapshot: Snapshot): Fact | null {
  const obs = macroObs(snapshot, "FEDFUNDS");
  const previous = (obs?.payload as { previous?: unknown } | undefined)?.previous;
  if (!obs || obs.value === null || typeof previous !== "number") return null;
  const change = obs.value - previous;
  const fresh = freshness(obs, snapshot.at);
  if (fresh === 0 || Math.abs(change) < 0.1) return null;
  const from = `${previous.toFixed(2)}%`;
  const to = `${obs.value.toFixed(2)}%`;
  return {
    kind: "fed",
    subject: "FEDFUNDS",
    hook: `Fed Funds at ${to}`,
    score: (Math.abs(change) / 0.25) * fresh,
    says: [
      `The effective Fed funds rate moved from ${from} to ${to}.`,
      `Policy is moving: Fed funds went from ${from} to ${to} in a month.`,
      `Fed funds now ${to}, against ${from} a month earlier.`,
    ],
  };
}

function breadthFact(features: MarketFeatures): Fact | null {
  const daily = [...features.symbols.values()].filter(
    (f) => f.assetClass !== "crypto" && f.changePct !== null && f.symbol !== features.vix?.symbol,
  );
  if (daily.length < 6) return null;
  const upShare = daily.filter((f) => (f.changePct as number) > 0).length / daily.length;
  const lopsided = Math.abs(upShare - 0.5) * 2;
  if (lopsided < 0.8) return null;
  const side = upShare > 0.5 ? "up" : "down";
  const count = side === "up" ? Math.round(upShare * daily.length) : Math.round((1 - upShare) * daily.length);
  return {
    kind: "breadth",
    subject: "breadth",
    hook: `${count} of ${daily.length} Names ${side === "up" ? "Green" : "Red"}`,
    score: lopsided * 1.6,
    says: [
      `${count} of the ${daily.length} names I track closed ${side} on the day.`,
      `Breadth was one-sided: ${percent(count / daily.length)} of what I track finished ${side}.`,
      `The whole board moved together, ${count} of ${daily.length} names ${side}.`,
    ],
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Who said it, in words a reader knows: "Reuters", "an SEC filing". */
function publisher(obs: Observation): string {
  const feed = (obs.payload as { feed?: unknown }).feed;
  const id = typeof feed === "string" && feed !== "" ? feed : obs.source.replace(/^rss:/, "");
  // Feed ids are short names: "bbc" is BBC, "reuters" is Reuters.
  const name = id.length <= 4 ? id.toUpperCase() : id.charAt(0).toUpperCase() + id.slice(1);
  return obs.trust === "untrusted" ? `an unverified feed (${name})` : name;
}

function headlineFacts(snapshot: Snapshot): Fact[] {
  return snapshot.observations
    .filter((o) => o.kind === "headline" && o.value === null && typeof o.payload.title === "string")
    .slice(0, 3)
    .map((o, i) => {
      const title = fenceUntrusted(String(o.payload.title), 140).replace(/["“”]/g, "'");
      const who = publisher(o);
      return {
        kind: "headline" as const,
        subject: o.id,
        hook: `a ${who} Headline`,
        score: 0.9 - i * 0.1,
        says: [
          `${capital(who)} reported “${title}”.`,
          `On the wires, ${who}: “${title}”.`,
          `${capital(who)} ran the headline “${title}”.`,
          `A headline from ${who}: “${title}”.`,
        ],
      };
    })
    .filter((f) => f.says[0] !== undefined && !f.says[0].includes("“”"));
}

function filingFacts(snapshot: Snapshot): Fact[] {
  return snapshot.observations
    .filter((o) => o.kind === "filing" && o.symbol)
    .slice(0, 2)
    .map((o) => {
      const form = fenceUntrusted(String(o.payload.form ?? "filing"), 12);
      const company = fenceUntrusted(String(o.payload.company ?? o.symbol), 60).replace(/["“”]/g, "'");
      const sym = displaySymbol(o.symbol as string);
      const article = /^[8AEFHILMNORSX]/i.test(form) ? "an" : "a";
      return {
        kind: "filing" as const,
        subject: o.id,
        hook: `${article === "an" ? "An" : "A"} ${form} From ${sym}`,
        score: form === "8-K" ? 1 : 0.6,
        says: [
          `SEC EDGAR shows ${article} ${form} from ${sym} (${company}).`,
          `${sym} filed ${article} ${form} with the SEC (${company}).`,
          `There is ${article} ${form} on file from ${company} (${sym}).`,
        ],
      };
    });
}

/** Every fact the snapshot supports, most unusual first. */
export function factsOf(features: MarketFeatures, snapshot: Snapshot): Fact[] {
  const moves = [...features.symbols.values()]
    .filter((f) => f.symbol !== features.vix?.symbol)
    .map(moveFact)
    .filter((f): f is Fact => f !== null);
  const others = [
    features.vix ? vixFact(features.vix) : null,
    yieldFact(snapshot),
    // The year-on-year rate from the policy reading: a monthly pace alone reads low in a year like 2022.
    cpiFact(snapshot, features.policy.cpiYoY),
    fedFact(snapshot),
    breadthFact(features),
  ].filter((f): f is Fact => f !== null);
  return [...moves, ...others, ...headlineFacts(snapshot), ...filingFacts(snapshot)].sort(
    (a, b) => b.score - a.score,
  );
}

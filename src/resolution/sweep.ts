import { assetClassOf, type Bar, barCloseTime } from "../domain/bars.ts";
import { specOf } from "../domain/call-record.ts";
import { canonicalJson } from "../domain/chain.ts";
import { receiptOf, type UsedBar } from "../domain/receipt.ts";
import { type Resolution, resolveCall } from "../domain/resolution.ts";
import { baselineScore, brier, type Outcome, peerScore, probabilityOfOutcome } from "../domain/scoring.ts";
import { nextTradingDay, sessionOf } from "../market/calendar.ts";
import type { QuotePort } from "../market/ports.ts";
import type { Database } from "../store/database.ts";
import {
  type DueAfter,
  type DueCall,
  findCallsByIds,
  findDueCalls,
  type Postponed,
  postponeCalls,
} from "../store/due-calls.ts";
import {
  type AppliedVerdict,
  type Verdict,
  verdictChunks,
  writeVerdictChunks,
} from "../store/resolutions.ts";

export interface SweepOptions {
  db: Database;
  quotes: QuotePort;
  now: Date;
  /** After this many hours past the deadline without data, a call is voided instead of retried. */
  graceHours: number;
  /** Due calls read and decided at a time. */
  pageSize?: number;
  /** Due calls one pass takes on at most (its verdicts are all held in its report); the next pass takes the rest. */
  maxCalls?: number;
  /**
   * Surfaces that show verdicts: a desk call whose dispatch was posted to one of them gets its
   * verdict post queued in the verdict's own transaction. None by default (a replay posts nothing).
   */
  verdictTargets?: readonly string[];
}

export interface SweepReport {
  due: number;
  resolved: AppliedVerdict[];
  postponed: number;
  /** Price lookups made: one per symbol and deadline group. */
  lookups: number;
  /** Pages of due calls read. */
  pages: number;
}

type Decided = { row: DueCall; resolution: Exclude<Resolution, { status: "pending" }>; source: string };

const RETRY_BASE_MS = 5 * 60_000;
const RETRY_CAP_MS = 6 * 3_600_000;
/** Enough history before the earliest call to find its entry close across a long holiday weekend. */
const ENTRY_LOOKBACK_DAYS = 10;

type BarsOrError = { bars: Bar[]; source: string } | { error: string };
type FetchBars = (symbol: string, from: Date) => Promise<BarsOrError>;

/** One page of due calls, decided: its verdicts to write and where the next page starts. */
interface DecidedPage {
  due: number;
  verdicts: Verdict[];
  postponed: number;
  /** The last call read, when the page was full (more may be due after it). */
  after: DueAfter | null;
}

/**
 * Resolves every due call, up to `maxCalls`, a page at a time in (deadline, id) order. A page is read,
 * its prices looked up (once per symbol and range for the whole pass), its calls decided, its retries
 * postponed and its scores computed; then its verdicts are written (writeVerdictChunks: a transaction
 * per chunk that also queues posts and marks the desk's verdicts to learn from) while the next page
 * is read and decided, so the database and the decisions work side by side, and the writers go on
 * from one page's chunks to the next without waiting for each other. Learning itself is
 * settleDueCalls' second step (settle.ts).
 */
export async function sweepDueCalls(options: SweepOptions): Promise<SweepReport> {
  const pageSize = options.pageSize ?? 10_000;
  const maxCalls = options.maxCalls ?? 100_000;
  const { fetchBars, lookups } = barsLookup(options);
  // Outcomes decided in this pass, so a member's call on a desk call decided a page earlier (its
  // verdict perhaps still being written) is peer-scored against it.
  const outcomes = new Map<number, Outcome | null>();
  const report: SweepReport = { due: 0, resolved: [], postponed: 0, lookups: 0, pages: 0 };
  const readPage = (after: DueAfter | null) => {
    const page = decidePage(options, fetchBars, outcomes, after, Math.min(pageSize, maxCalls - report.due));
    // Awaited once this page's turn comes: marked handled now, so a failed read cannot end the
    // process as an unhandled rejection while the writers are still busy with the page before.
    page.catch(() => undefined);
    return page;
  };
  async function* decidedChunks(): AsyncGenerator<Verdict[]> {
    let next: Promise<DecidedPage> | null = readPage(null);
    try {
      while (next) {
        const page: DecidedPage = await next;
        report.due += page.due;
        report.postponed += page.postponed;
        report.pages += 1;
        // Read ahead: the next page is decided while this one's chunks are written.
        next = page.after && report.due < maxCalls ? readPage(page.after) : null;
        yield* verdictChunks(page.verdicts);
      }
    } finally {
      // A failed write ends the pass; the page being read meanwhile is left for the next pass.
      await next?.catch(() => undefined);
    }
  }
  report.resolved = await writeVerdictChunks(
    options.db,
    decidedChunks(),
    options.now,
    options.verdictTargets,
  );
  report.lookups = lookups.size;
  return report;
}

/** Bars per symbol and range, looked up once per pass however many pages ask for them. */
function barsLookup({ quotes, now }: SweepOptions): { fetchBars: FetchBars; lookups: Map<string, unknown> } {
  const lookups = new Map<string, Promise<BarsOrError>>();
  const fetchBars: FetchBars = (symbol, from) => {
    const range = {
      from: isoDate(new Date(from.getTime() - ENTRY_LOOKBACK_DAYS * 86_400_000)),
      to: isoDate(now),
    };
    const key = `${symbol}|${range.from}|${range.to}`;
    let lookup = lookups.get(key);
    if (!lookup) {
      lookup = quotes.dailyBars(symbol, range, now).then(
        (series) => ({ bars: series.bars, source: series.source }),
        (error: unknown) => ({ error: `${symbol}: ${(error as Error).message}` }),
      );
      lookups.set(key, lookup);
    }
    return lookup;
  };
  return { fetchBars, lookups };
}

async function decidePage(
  options: SweepOptions,
  fetchBars: FetchBars,
  outcomes: Map<number, Outcome | null>,
  after: DueAfter | null,
  limit: number,
): Promise<DecidedPage> {
  const { db, now } = options;
  const due = await findDueCalls(db, now, limit, after);
  const groups = groupBySymbolAndDeadline(due);
  // Every lookup starts at once, before anything is decided, so the sources answer concurrently.
  const fetched = await Promise.all(
    groups.map(async (group) => {
      const earliest = new Date(Math.min(...group.map((row) => row.madeAt.getTime())));
      const symbols = [
        ...new Set(group.flatMap((row) => (row.versus ? [row.symbol, row.versus] : [row.symbol]))),
      ];
      const answers = await Promise.all(symbols.map((symbol) => fetchBars(symbol, earliest)));
      return new Map(symbols.map((symbol, i) => [symbol, answers[i] as BarsOrError]));
    }),
  );

  const decided: Decided[] = [];
  const postponed: Postponed[] = [];
  groups.forEach((group, g) => {
    const read = readsOf((group[0] as DueCall).symbol, fetched[g] as Map<string, BarsOrError>);
    for (const row of group) {
      const { bars, failure, dataThrough, source } = read(row.versus);
      const resolution =
        failure !== null
          ? ({ status: "pending", reason: failure } as const)
          : resolveCall({
              call: specOf(row),
              bars,
              entryPrice: row.entryPrice ?? undefined,
              versusEntryPrice: row.versusEntry ?? undefined,
              dataThrough,
            });
      if (resolution.status !== "pending") decided.push({ row, resolution, source });
      else if (now.getTime() - row.deadline.getTime() > options.graceHours * 3_600_000) {
        const voided = unavailable(row, options.graceHours, resolution.reason);
        decided.push({ row, resolution: voided, source });
      } else {
        const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** row.attempts);
        postponed.push({
          callId: row.id,
          attempts: row.attempts + 1,
          nextAttemptAt: new Date(now.getTime() + delay),
        });
      }
    }
  });
  for (const { row, resolution } of decided) outcomes.set(row.id, outcomeOf(resolution));
  await postponeCalls(db.prisma, postponed);
  const verdicts = await withPeerScores(db, decided, outcomes);
  // Written in id order: each chunk then updates rows that lie near each other in the table.
  verdicts.sort((a, b) => a.callId - b.callId);
  const last = due.at(-1);
  return {
    due: due.length,
    verdicts,
    postponed: postponed.length,
    after: last && due.length === limit ? { deadline: last.deadline, id: last.id } : null,
  };
}

/** What the calls of one group read from their bars: the same for every call with the same versus. */
interface GroupRead {
  bars: Record<string, Bar[]>;
  /** The first lookup that failed, or null. */
  failure: string | null;
  dataThrough: Date;
  source: string;
}

/** A group's reads, worked out once per versus symbol rather than for each of its calls. */
function readsOf(symbol: string, bySymbol: Map<string, BarsOrError>): (versus: string | null) => GroupRead {
  const reads = new Map<string | null, GroupRead>();
  return (versus) => {
    let read = reads.get(versus);
    if (!read) {
      const symbols = versus ? [symbol, versus] : [symbol];
      const answers = symbols.map((symbol) => bySymbol.get(symbol) as BarsOrError);
      const failure = answers.find((f): f is { error: string } => "error" in f);
      const found = answers as { bars: Bar[] }[];
      read = {
        bars: Object.fromEntries(symbols.map((s, i) => [s, found[i]?.bars ?? []])),
        failure: failure?.error ?? null,
        dataThrough: failure ? new Date(0) : dataEnd(symbols, found),
        source: sourceOf(answers),
      };
      reads.set(versus, read);
    }
    return read;
  };
}

function groupBySymbolAndDeadline(rows: DueCall[]): DueCall[][] {
  const groups = new Map<string, DueCall[]>();
  for (const row of rows) {
    const key = `${row.symbol}|${row.deadline.getTime()}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/**
 * The bars are complete up to the close of the last bar every symbol has. A US listing has no bar
 * until the next session opens, so its data also covers the closed hours (nights, weekends,
 * holidays) up to then: a Saturday deadline resolves on Saturday, not after Monday's close.
 */
function dataEnd(symbols: string[], fetched: { bars: Bar[] }[]): Date {
  const ends = fetched.map(({ bars }, i) => {
    const last = bars.at(-1);
    if (!last) return 0;
    const assetClass = assetClassOf(symbols[i] as string);
    if (assetClass === "crypto") return barCloseTime(last.date, assetClass).getTime();
    return nextOpenAfter(last.date) - 1;
  });
  return new Date(Math.min(...ends));
}

/** Calendar arithmetic costs microseconds and a sweep asks it of every due call: cached per date. */
const nextOpens = new Map<string, number>();
function nextOpenAfter(date: string): number {
  let ms = nextOpens.get(date);
  if (ms === undefined) {
    ms = sessionOf(nextTradingDay(date)).open.getTime();
    nextOpens.set(date, ms);
  }
  return ms;
}

function unavailable(row: DueCall, graceHours: number, reason: string): Resolution & { status: "void" } {
  return {
    status: "void",
    reason: "data_unavailable",
    entry: row.entryPrice,
    exit: null,
    movePct: null,
    evidence: `no price for ${row.symbol} within ${graceHours}h of the deadline (${reason})`,
    used: [],
  };
}

/**
 * Scores each verdict; a member's call on a desk call also gets a peer score against the desk, whose
 * outcome is the one decided in this pass (`outcomes`) or else the one stored.
 */
async function withPeerScores(
  db: Database,
  decided: Decided[],
  outcomes: ReadonlyMap<number, Outcome | null>,
): Promise<Verdict[]> {
  const parentIds = [...new Set(decided.flatMap(({ row }) => (row.parentCallId ? [row.parentCallId] : [])))];
  const parents = new Map((await findCallsByIds(db.prisma, parentIds)).map((p) => [p.id, p]));
  // The calls of one group read the same bars: each distinct receipt is hashed once. A receipt bar is
  // made once per bar (domain/resolution.ts), so the bars' identities name the receipt.
  const receipts = new Map<string, string>();
  const receiptText = (source: string, used: readonly UsedBar[]) => {
    const key = `${source}|${used.map(usedBarId).join(",")}`;
    let text = receipts.get(key);
    if (text === undefined) {
      text = canonicalJson(receiptOf(source, used));
      receipts.set(key, text);
    }
    return text;
  };
  return decided.map(({ row, resolution, source }) => {
    const outcome = outcomeOf(resolution);
    const parent = row.parentCallId ? parents.get(row.parentCallId) : undefined;
    const parentOutcome = parent ? (outcomes.get(parent.id) ?? (parent.outcome as Outcome | null)) : null;
    let peer: number | null = null;
    if (outcome !== null && parent && parentOutcome !== null && parentOutcome !== undefined) {
      // The desk's probability for this member's call being right: its own p when agreeing, 1-p when fading.
      const deskOnMemberCall = row.stance === "fade" ? 1 - parent.probability : parent.probability;
      peer = peerScore(
        probabilityOfOutcome(row.probability, outcome),
        probabilityOfOutcome(deskOnMemberCall, outcome),
      );
    }
    return {
      callId: row.id,
      status: resolution.status,
      exitPrice: resolution.exit,
      exitAt:
        resolution.status === "void" ? null : barCloseTime(resolution.exitDate, assetClassOf(row.symbol)),
      movePct: resolution.movePct,
      evidence: resolution.evidence,
      voidReason: resolution.status === "void" ? resolution.reason : null,
      outcome,
      brier: outcome === null ? null : brier(row.probability, outcome),
      baselineScore: outcome === null ? null : baselineScore(row.probability, outcome),
      peerScore: peer,
      receipt: receiptText(source, resolution.used),
    };
  });
}

/** A number for each receipt bar object: equal numbers, the same bar. */
const usedBarIds = new WeakMap<UsedBar, number>();
let lastUsedBarId = 0;
function usedBarId(bar: UsedBar): number {
  let id = usedBarIds.get(bar);
  if (id === undefined) {
    id = ++lastUsedBarId;
    usedBarIds.set(bar, id);
  }
  return id;
}

/** The sources that answered for a call's symbols, e.g. "yahoo" or "replay". */
function sourceOf(fetched: BarsOrError[]): string {
  return [...new Set(fetched.map((f) => ("source" in f ? f.source : "none")))].join("+");
}

function outcomeOf(resolution: Exclude<Resolution, { status: "pending" }>): Outcome | null {
  return resolution.status === "void" ? null : resolution.status === "right" ? 1 : 0;
}

function isoDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

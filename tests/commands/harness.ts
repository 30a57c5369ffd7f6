import type { Actor, CommandContext, CommandSettings, RunNowResult } from "../../src/commands/context.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import type { Server } from "../../src/domain/server.ts";
import type { BarSeries, DateRange, Quote, QuotePort } from "../../src/market/ports.ts";
import { appendCall, type NewCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";

export const bar = (date: string, close: number, high = close, low = close): Bar => ({
  date,
  open: close,
  high,
  low,
  close,
});

/** Over FakeQuotes' bars, a latest quote that respects `asOf` as a real port must, and can be told to fail. */
export class PointInTimeQuotes implements QuotePort {
  readonly name = "fake";
  quoteFailing = false;
  private readonly history: FakeQuotes;

  constructor(private readonly bars: Record<string, Bar[]>) {
    this.history = new FakeQuotes(bars);
  }

  async latestQuote(symbol: string, asOf: Date): Promise<Quote> {
    if (this.quoteFailing) throw new Error("quote source timed out");
    const day = asOf.toISOString().slice(0, 10);
    const last = this.bars[symbol]?.filter((b) => b.date <= day).at(-1);
    if (!last) throw new Error(`no quote for ${symbol}`);
    const time = new Date(`${last.date}T20:00:00Z`);
    return { symbol, price: last.close, time, session: last.date, source: "fake", trust: "primary" };
  }

  dailyBars(symbol: string, range: DateRange): Promise<BarSeries> {
    return this.history.dailyBars(symbol, range);
  }
}

export const SETTINGS: CommandSettings = {
  lockShare: 0.25,
  defaultProbability: 0.6,
  leaderboardMinResolved: 5,
  maxOpenCallsPerMember: 50,
  rateLimit: { calls: 1_000, windowMs: 600_000 },
};

export const ADA: Actor = { externalId: "u-ada", displayName: "Ada", isModerator: false };

/** A fresh server on an emptied database (every table hangs off Server and cascades). */
export async function freshServer(db: Database, externalId = "guild-1", symbols = ["QQQ", "SPY", "IWM"]) {
  await db.prisma.server.deleteMany({ where: { externalId } });
  return ensureServer(
    db.prisma,
    { platform: "discord", externalId, name: externalId },
    { schedule: "0 15 * * 1-5", timezone: "America/New_York", symbols },
  );
}

export interface Harness {
  ctx: CommandContext;
  /** Servers the fake cycle runner was asked to run. */
  runs: string[];
  /** Servers whose schedule the command asked to follow again. */
  rescheduled: Server[];
  /** Desk calls whose post the command asked to re-render, with the event key. */
  refreshed: { deskCallId: number; key: string }[];
}

export function contextFor(
  db: Database,
  server: Server,
  quotes: PointInTimeQuotes,
  overrides: Partial<Omit<CommandContext, "now">> & { now?: Date | (() => Date) } = {},
): Harness {
  const runs: string[] = [];
  const rescheduled: Server[] = [];
  const refreshed: { deskCallId: number; key: string }[] = [];
  const now = overrides.now ?? new Date("2026-04-01T21:00:00Z");
  const ctx: CommandContext = {
    db,
    quotes,
    settings: SETTINGS,
    server,
    actor: ADA,
    cycles: {
      async runNow(target): Promise<RunNowResult> {
        runs.push(target.id);
        return { status: "started", dispatchNumber: 7 };
      },
      reschedule: (target) => rescheduled.push(target),
    },
    posts: {
      async refresh(deskCallId, key) {
        refreshed.push({ deskCallId, key });
      },
    },
    ...overrides,
    now: typeof now === "function" ? now : () => now,
  };
  return { ctx, runs, rescheduled, refreshed };
}

/** A desk call as a cycle would store it: lead mind, dispatch source, lock at a share of the horizon. */
export async function deskCall(
  db: Database,
  serverId: string,
  fields: Record<string, unknown>,
  extra: Partial<NewCall> = {},
) {
  const spec = callSpecSchema.parse({
    ...(fields.kind === undefined && { kind: "direction", direction: "down" }),
    symbol: "QQQ",
    horizonHours: 48,
    probability: 0.62,
    madeAt: "2026-04-01T21:00:00Z",
    ...fields,
  });
  const { call } = await appendCall(db.prisma, {
    serverId,
    spec,
    authorType: "desk",
    mind: "macro",
    source: "dispatch",
    lockAt: lockAtOf(spec, SETTINGS.lockShare),
    entryPrice: 577.18,
    entryAt: new Date(spec.madeAt),
    ...extra,
  });
  return call;
}

/** Deterministic weekday bars: a seeded walk, so the volume tests resolve both ways. */
export function walk(start: string, end: string, first: number, seed: number): Bar[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const bars: Bar[] = [];
  let close = first;
  for (let day = new Date(`${start}T00:00:00Z`); day <= new Date(`${end}T00:00:00Z`); ) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) {
      const next = Math.round(close * (1 + (random() - 0.5) * 0.04) * 100) / 100;
      bars.push(
        bar(
          day.toISOString().slice(0, 10),
          next,
          Math.max(close, next) * 1.004,
          Math.min(close, next) * 0.996,
        ),
      );
      close = next;
    }
    day = new Date(day.getTime() + 86_400_000);
  }
  return bars;
}

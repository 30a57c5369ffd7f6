import { DateTime } from "luxon";
import type { Actor } from "../commands/context.ts";
import type { CommandCore } from "../commands/core.ts";
import type { AnyCommand } from "../commands/declaration.ts";
import { predictCommand } from "../commands/predict.ts";
import { agreeCommand, fadeCommand } from "../commands/stance.ts";
import { assetClassOf } from "../domain/bars.ts";
import { type CallRecord, isOpenForAnswers } from "../domain/call-record.ts";
import type { Server } from "../domain/server.ts";
import type { Logger } from "../log.ts";
import { isTradingDay, newYorkDate } from "../market/calendar.ts";
import type { QuotePort } from "../market/ports.ts";
import { Random } from "../market/simulated/random.ts";
import type { Database } from "../store/database.ts";
import { latestDispatches } from "../store/dispatches.ts";
import { liveResponse } from "../store/live-responses.ts";
import type { Clock } from "./clock.ts";
import { VirtualCron } from "./virtual-cron.ts";

/** What a simulated member sees when it is its turn: the market's recent drift and the open desk calls. */
export interface Turn {
  at: Date;
  random: Random;
  /** The symbols it may call now for a day or more: crypto always, stocks until an hour before a session's close. */
  symbols: readonly string[];
  /** Whole hours from now to just past the symbol's next close: a call decided by that close. */
  hoursToClose(symbol: string): number;
  /** Close-to-close change over the last five daily bars, as a fraction; null without data. */
  drift(symbol: string): Promise<number | null>;
  /** Desk calls still open for answers that this member has not answered. */
  openDeskCalls: readonly CallRecord[];
}

export type Move =
  | { command: "predict"; text: string }
  | { command: "agree" | "fade"; callId: number; probability: number };

/** One way of playing; each turn gives at most one move (a call or an answer). */
export interface DemoStyle {
  key: string;
  name: string;
  decide(turn: Turn): Promise<Move | null>;
}

const pick = <T>(random: Random, items: readonly T[]): T | undefined =>
  items[Math.floor(random.uniform() * items.length)];

/** Every other turn or so, the same answer to the newest open desk call; otherwise nothing. */
function answerDesk(turn: Turn, command: "agree" | "fade", probability: number): Move | null {
  const deskCall = turn.openDeskCalls[0];
  return deskCall && turn.random.uniform() < 0.5 ? { command, callId: deskCall.id, probability } : null;
}

/**
 * A /predict on a random symbol, with or against its last week's move, at the sureness `percent`
 * gives that move; nothing when the move is unknown.
 */
async function driftCall(
  turn: Turn,
  side: "with" | "against",
  percent: (drift: number) => number,
): Promise<Move | null> {
  const symbol = pick(turn.random, turn.symbols);
  const drift = symbol ? await turn.drift(symbol) : null;
  if (!symbol || drift === null) return null;
  const up = drift >= 0 === (side === "with");
  return {
    command: "predict",
    text: `${symbol} ${up ? "up" : "down"} ${turn.hoursToClose(symbol)}h ${percent(drift)}%`,
  };
}

/** Follows the last week's move: up after a rise, down after a fall, surer the bigger it was. */
const momentum: DemoStyle = {
  key: "momentum",
  name: "Momentum Mo",
  async decide(turn) {
    const deskCall = turn.openDeskCalls[0];
    if (deskCall && turn.random.uniform() < 0.3) {
      const drift = await turn.drift(deskCall.symbol);
      const deskSaysUp = deskCall.direction === "up" || deskCall.comparator === "above";
      const agrees = drift === null || drift >= 0 === deskSaysUp;
      return { command: agrees ? "agree" : "fade", callId: deskCall.id, probability: 70 };
    }
    return driftCall(turn, "with", (drift) => Math.min(80, 58 + Math.round(Math.abs(drift) * 400)));
  },
};

/** Bets against the desk and against the last week's move. */
const contrarian: DemoStyle = {
  key: "contrarian",
  name: "Contrarian Cass",
  async decide(turn) {
    const answer = answerDesk(turn, "fade", 60);
    if (answer) return answer;
    return driftCall(turn, "against", () => 62);
  },
};

/** Agrees with the desk at barely better than even odds, and otherwise says the market drifts up. */
const cautious: DemoStyle = {
  key: "cautious",
  name: "Cautious Cal",
  async decide(turn) {
    const answer = answerDesk(turn, "agree", 55);
    if (answer) return answer;
    const symbol = pick(turn.random, turn.symbols);
    return symbol ? { command: "predict", text: `${symbol} up 24h 55%` } : null;
  },
};

export const DEMO_STYLES: readonly DemoStyle[] = [momentum, contrarian, cautious];

/**
 * The simulated member behind a style. "(simulated)" is part of the stored name, so every page, post
 * and leaderboard row that names them says so; the id keeps them apart from real members.
 */
export function demoActor(style: DemoStyle): Actor {
  return {
    externalId: `simulated:${style.key}`,
    displayName: `${style.name} (simulated)`,
    isModerator: false,
  };
}

export interface DemoMembersOptions {
  core: CommandCore;
  server: Server;
  db: Database;
  quotes: QuotePort;
  clock: Clock;
  /** Same seed, same moments: the same moves. */
  seed: number;
  /** How many of DEMO_STYLES play (0 to 3). */
  count: number;
  log: Logger;
  /** Simulated hours between turns. */
  everyHours?: number;
}

/**
 * A few simulated members who play the local desk in demo mode, so the leaderboard, member pages and
 * peer scores fill within minutes. They act through the command core, as Discord and Slack members
 * do (same rules, rate limit and lock), on the demo clock's schedule, never on real-time sleeps.
 */
export class DemoMembers {
  private job: { cancel(): unknown } | undefined;
  private turns: Promise<void> = Promise.resolve();

  constructor(private readonly options: DemoMembersOptions) {}

  get styles(): readonly DemoStyle[] {
    return DEMO_STYLES.slice(0, this.options.count);
  }

  start(): void {
    if (this.styles.length === 0) return;
    // Every two demo hours: at DEMO_SPEED=720 (a turn each 10 s) a member ranks on the leaderboard
    // within minutes; beyond 30 calls in 10 real minutes the rate limit refuses turns, as anyone's.
    const every = this.options.everyHours ?? 2;
    const cron = new VirtualCron(`30 */${every} * * *`, "UTC", this.options.clock);
    // Turns run one after another: a slow turn never overlaps the next.
    this.job = cron.start((at) => {
      this.turns = this.turns.then(() => this.playAt(at));
    });
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    await this.turns;
  }

  /** Every member's turn at `at`, in order; a refusal (lock, rate limit) is logged and the turn passes. */
  async playAt(at: Date): Promise<void> {
    const { core, server, log } = this.options;
    const deskCalls = await this.openDeskCalls(at);
    for (const [index, style] of this.styles.entries()) {
      const actor = demoActor(style);
      try {
        const answered = new Set(
          await this.answeredBy(
            actor,
            deskCalls.map((call) => call.id),
          ),
        );
        const turn: Turn = {
          at,
          // Seeded by member and moment, so a turn's choice never depends on what ran before it.
          random: new Random(this.options.seed * 7919 + index * 104_729 + Math.floor(at.getTime() / 60_000)),
          symbols: this.symbolsAt(at),
          drift: (symbol) => this.drift(symbol, at),
          hoursToClose: (symbol) => hoursToClose(symbol, at),
          openDeskCalls: deskCalls.filter((call) => !answered.has(call.id)),
        };
        const move = await style.decide(turn);
        if (!move) continue;
        const [command, options] = commandFor(move);
        const result = await core.run(
          command,
          { server, actor, surface: "demo", interactionId: `demo:${style.key}:${at.toISOString()}` },
          options,
        );
        if (result.ok) {
          // A stance's answer is written to the member ("You agree…"): the log names who.
          const text = command.text(result.view);
          log.info(
            { member: actor.displayName },
            text.startsWith("You ") ? `${actor.displayName}: ${text}` : text,
          );
        } else log.debug({ member: actor.displayName, refused: result.code }, result.error);
      } catch (error) {
        log.warn({ err: error, member: actor.displayName }, "a simulated member's turn failed");
      }
    }
  }

  /**
   * A call is decided by the last close at or before its deadline. Crypto closes every midnight UTC; a
   * stock's call holds a close within a day only on a trading day before that day's close (an hour's
   * margin). Anything else would be a call with no close: void, never scored.
   */
  private symbolsAt(at: Date): string[] {
    const newYork = DateTime.fromJSDate(at, { zone: "America/New_York" });
    const stocksOpen = isTradingDay(newYorkDate(at)) && newYork.hour < 15;
    return this.options.server.symbols.filter((s) => stocksOpen || assetClassOf(s) === "crypto");
  }

  private async drift(symbol: string, at: Date): Promise<number | null> {
    const to = DateTime.fromJSDate(at, { zone: "utc" });
    const range = { from: to.minus({ days: 14 }).toISODate() ?? "", to: to.toISODate() ?? "" };
    const { bars } = await this.options.quotes.dailyBars(symbol, range, at);
    const recent = bars.slice(-6);
    const first = recent[0];
    const last = recent.at(-1);
    return first && last && recent.length > 1 ? last.close / first.close - 1 : null;
  }

  private async openDeskCalls(at: Date): Promise<CallRecord[]> {
    const { db, server } = this.options;
    const dispatches = await latestDispatches(db.prisma, 10);
    return dispatches
      .filter((d) => d.serverId === server.id)
      .flatMap((d) => d.calls)
      .filter((call) => isOpenForAnswers(call, at))
      .sort((a, b) => a.id - b.id);
  }

  /** Desk calls among `ids` this member already answered, read from the desk's own record. */
  private async answeredBy(actor: Actor, ids: number[]): Promise<number[]> {
    const { db, server } = this.options;
    const live = await Promise.all(ids.map((id) => liveResponse(db.prisma, server.id, actor.externalId, id)));
    return ids.filter((_, i) => live[i] !== null);
  }
}

/**
 * Hours to just past the next close (midnight UTC for crypto, 16:00 New York for a stock on a trading
 * day that `symbolsAt` allowed): a call decided by the next close, so a demo's record fills quickly.
 */
function hoursToClose(symbol: string, at: Date): number {
  const from = DateTime.fromJSDate(at);
  const close =
    assetClassOf(symbol) === "crypto"
      ? from.setZone("utc").plus({ days: 1 }).startOf("day")
      : from.setZone("America/New_York").set({ hour: 16, minute: 0, second: 0, millisecond: 0 });
  return Math.max(1, Math.ceil(close.diff(from, "hours").hours)) + 1;
}

function commandFor(move: Move): [AnyCommand, unknown] {
  if (move.command === "predict") return [predictCommand, { text: move.text, source: "predict" }];
  const command = move.command === "agree" ? agreeCommand : fadeCommand;
  return [command, { callId: move.callId, probability: move.probability, source: "button" }];
}

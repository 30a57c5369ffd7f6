import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Burst {
  platform: "discord" | "slack";
  /** Which fake (one per bot: the real one and the no-op one). */
  name: string;
  /** Slack: the bot's HTTP receiver port on 127.0.0.1. */
  port?: number;
  /** Commands sent at once; the burst resolves with the last ack. */
  concurrency: number;
  /** First event number: every event is new to the bot (ids, trigger ids, members rotate on it). */
  from: number;
}

export interface BurstResult {
  samples: number[];
}

export type PlatformRequest =
  | { op: "discord"; name: string }
  | { op: "slack"; name: string }
  | { op: "burst"; burst: Burst }
  | { op: "answers"; name: string }
  | { op: "drain"; platform: "discord" | "slack"; name: string; answers: number }
  | { op: "stop" };

/**
 * Rounds per concurrency level: enough samples for a p99 without a long run. At 200 concurrent,
 * 1,600: the p99 is then the 16th slowest ack, not the tail of a single slow burst.
 */
const ROUNDS: Record<number, number> = { 1: 40, 50: 4, 200: 8 };

/** Where one bot behind a fake listens: its fake's name and, on Slack, its HTTP receiver's port. */
export interface AckTarget {
  name: string;
  port?: number;
}

/**
 * The ack measurements of one platform: rounds of `concurrency` commands sent at once, alternately to
 * the no-op bot and the real one, so a change in the machine's load reaches both alike. The real
 * bot's work after its acks runs in this process, the no-op bot's too: it is drained after every real
 * round, so each round starts on an idle process and the no-op never measures our backlog. Before
 * each level, one unmeasured round per bot warms its connections and code for that concurrency.
 */
export class AckRounds {
  private sent = 0;

  constructor(
    private readonly platform: Platform,
    private readonly kind: "discord" | "slack",
    private readonly bots: { noop: AckTarget; real: AckTarget },
    /** First event number: ids, trigger ids and members rotate on it. */
    private from: number,
  ) {}

  /** Commands the real bot was sent so far. */
  get realSent(): number {
    return this.sent;
  }

  /** One round to one bot; the real one's is drained before this resolves. */
  async round(bot: "noop" | "real", concurrency: number): Promise<number[]> {
    const { name, port } = this.bots[bot];
    const start = this.from;
    this.from += concurrency;
    if (bot === "real") this.sent += concurrency;
    const samples = await this.platform.burst({
      platform: this.kind,
      name,
      ...(port !== undefined && { port }),
      concurrency,
      from: start,
    });
    if (bot === "real") await this.platform.drain(this.kind, name, this.sent);
    return samples;
  }

  /** A level's samples: the real bot's and the no-op's, round by round alternately, after a warm-up. */
  async level(concurrency: number): Promise<{ measured: number[]; floor: number[] }> {
    await this.round("noop", concurrency);
    await this.round("real", concurrency);
    const measured: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < (ROUNDS[concurrency] ?? 2); r += 1) {
      floor.push(...(await this.round("noop", concurrency)));
      measured.push(...(await this.round("real", concurrency)));
    }
    return { measured, floor };
  }
}

/** Runs a bench-only script of this folder in a child process of its own, on tsx like the bench. */
export function forkBenchScript(file: string, args: string[] = []): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), args, {
    execArgv: ["--import", "tsx"],
    // stdout is the bench's JSON: anything a child prints goes to stderr.
    stdio: ["ignore", 2, 2, "ipc"],
  });
}

/** The fake platforms in their own process, driven by messages; see ack-platform-child.ts. */
export class Platform {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    child.on("exit", (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`platform exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<Platform> {
    const platform = new Platform(forkBenchScript("./ack-platform-child.ts"));
    await new Promise<unknown>((resolve, reject) => platform.waiting.set(0, { resolve, reject }));
    return platform;
  }

  /** Starts a fake and returns its API base URL. */
  discord(name: string): Promise<string> {
    return this.request({ op: "discord", name }) as Promise<string>;
  }

  slack(name: string): Promise<string> {
    return this.request({ op: "slack", name }) as Promise<string>;
  }

  async burst(burst: Burst): Promise<number[]> {
    return ((await this.request({ op: "burst", burst })) as BurstResult).samples;
  }

  /** Discord answers seen so far, public and private, with a sample of a private one. */
  answers(name: string): Promise<{ public: number; private: number; sample: string }> {
    return this.request({ op: "answers", name }) as Promise<{
      public: number;
      private: number;
      sample: string;
    }>;
  }

  /** Resolves once the bot behind `name` has answered `answers` commands in all (or after two minutes), with the count. */
  drain(platform: "discord" | "slack", name: string, answers: number): Promise<number> {
    return this.request({ op: "drain", platform, name, answers }) as Promise<number>;
  }

  async stop(): Promise<void> {
    await this.request({ op: "stop" }).catch(() => undefined);
    this.child.disconnect();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once("exit", resolve));
  }

  private request(request: PlatformRequest): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, request });
    });
  }
}

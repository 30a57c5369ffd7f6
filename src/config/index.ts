import path from "node:path";
import { type Env, envSchema } from "./schema.ts";

export interface Config {
  env: Env["NODE_ENV"];
  logLevel: Env["LOG_LEVEL"];
  logFormat: "pretty" | "json";
  /** Simulated seconds per real second; 1 is the wall clock. */
  demoSpeed: number;
  /** Simulated members playing the local desk; only in demo mode (0 otherwise). */
  demoMembers: number;
  resolutionGraceHours: number;
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };
  dataDir: string;
  testDatabaseUrl: string | undefined;
  lockShare: number;
  publicUrl: string;
  port: number;
  market: MarketConfig;
  /** Null when TSA_URL=off: the chains' heads are not timestamped. */
  anchor: { tsaUrl: string } | null;
  /** Null when DISCORD_TOKEN is unset: the Discord surface stays off. */
  discord: { token: string; applicationId: string | undefined; apiUrl: string } | null;
  /** DISCORD_APPLICATION_ID even without a token: the invite URL needs only this. */
  discordApplicationId: string | undefined;
  /** Null when SLACK_BOT_TOKEN is unset: the Slack surface stays off. */
  slack: SlackConfig | null;
  /** What every chat surface applies to members' calls. */
  members: {
    defaultProbability: number;
    leaderboardMinResolved: number;
    maxOpenCalls: number;
    /** At most `calls` member calls per `windowMs` of real time. */
    rateLimit: { calls: number; windowMs: number };
  };
  desk: {
    engine: Env["DESK_ENGINE"];
    /** Input plus output tokens the Claude engine may spend on one cycle before falling back. */
    tokenBudget: number;
    anthropic: { apiKey: string | undefined; model: string; baseUrl: string | undefined; timeoutMs: number };
  };
}

export interface SlackConfig {
  botToken: string;
  /** Socket Mode (no public URL) or HTTP (Slack posts signed requests to port/path). */
  mode: "socket" | "http";
  appToken: string | undefined;
  signingSecret: string | undefined;
  port: number;
  path: string;
  apiUrl: string;
  moderatorGroup: string | undefined;
}

export interface MarketConfig {
  source: Env["MARKET_SOURCE"];
  /** Replay folder of SYMBOL.csv / SERIES.csv files. */
  dataDir: string;
  simulationSeed: number;
  /** Undefined means the market module's defaults. */
  symbols: string[] | undefined;
  macroSeries: string[] | undefined;
  timeoutMs: number;
  fredApiKey: string | undefined;
  secUserAgent: string | undefined;
  newsFeeds: string[];
  defaultNewsFeeds: boolean;
  urls: { yahoo: string; fred: string; fredApi: string; sec: string; secData: string; coingecko: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.expected}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "ConfigError";
  }
}

/** Reads and validates the environment. The only place in Tapereader that touches process.env. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        expected: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty"),
    demoSpeed: env.DEMO_SPEED,
    demoMembers: env.DEMO_SPEED > 1 ? env.DEMO_MEMBERS : 0,
    resolutionGraceHours: env.RESOLUTION_GRACE_HOURS,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "db") },
    dataDir,
    testDatabaseUrl: env.TEST_DATABASE_URL,
    lockShare: env.LOCK_SHARE,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    port: env.PORT,
    market: {
      source: env.MARKET_SOURCE,
      dataDir: path.resolve(env.MARKET_DATA_DIR),
      simulationSeed: env.MARKET_SIM_SEED,
      symbols: env.MARKET_SYMBOLS,
      macroSeries: env.MARKET_MACRO_SERIES,
      timeoutMs: env.MARKET_TIMEOUT_MS,
      fredApiKey: env.FRED_API_KEY,
      secUserAgent: env.SEC_USER_AGENT,
      newsFeeds: env.NEWS_FEEDS,
      defaultNewsFeeds: env.NEWS_DEFAULT_FEEDS === "on",
      urls: {
        yahoo: env.YAHOO_BASE_URL,
        fred: env.FRED_BASE_URL,
        fredApi: env.FRED_API_BASE_URL,
        sec: env.SEC_BASE_URL,
        secData: env.SEC_DATA_BASE_URL,
        coingecko: env.COINGECKO_BASE_URL,
      },
    },
    anchor: env.TSA_URL === "off" ? null : { tsaUrl: env.TSA_URL },
    discordApplicationId: env.DISCORD_APPLICATION_ID,
    discord: env.DISCORD_TOKEN
      ? { token: env.DISCORD_TOKEN, applicationId: env.DISCORD_APPLICATION_ID, apiUrl: env.DISCORD_API_URL }
      : null,
    slack: env.SLACK_BOT_TOKEN
      ? {
          botToken: env.SLACK_BOT_TOKEN,
          mode: env.SLACK_MODE,
          appToken: env.SLACK_APP_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          port: env.SLACK_PORT,
          path: env.SLACK_PATH,
          apiUrl: env.SLACK_API_URL,
          moderatorGroup: env.SLACK_MODERATOR_GROUP,
        }
      : null,
    members: {
      defaultProbability: env.MEMBER_DEFAULT_PROBABILITY,
      leaderboardMinResolved: env.LEADERBOARD_MIN_RESOLVED,
      maxOpenCalls: env.MAX_OPEN_CALLS_PER_MEMBER,
      rateLimit: { calls: env.MEMBER_RATE_LIMIT_CALLS, windowMs: env.MEMBER_RATE_LIMIT_MINUTES * 60_000 },
    },
    desk: {
      engine: env.DESK_ENGINE,
      tokenBudget: env.CYCLE_TOKEN_BUDGET,
      anthropic: {
        apiKey: env.ANTHROPIC_API_KEY,
        model: env.ANTHROPIC_MODEL,
        baseUrl: env.ANTHROPIC_BASE_URL,
        timeoutMs: env.ANTHROPIC_TIMEOUT_MS,
      },
    },
  };
}

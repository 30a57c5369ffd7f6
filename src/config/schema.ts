import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const postgresUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/\S+$/, "a PostgreSQL URL such as postgresql://user@host:5432/db");

function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

const commaList = z
  .string()
  .transform(splitList)
  .pipe(z.array(z.string()).min(1, "a comma-separated list, e.g. SPY,QQQ,^VIX"));

/** Provider base URLs are settable so tests (and proxies) can point the adapters elsewhere. */
const baseUrl = z
  .url({ message: "an absolute URL such as https://example.com" })
  .transform((url) => url.replace(/\/$/, ""));

/** Every environment variable Tapereader reads, with the embedded-mode defaults. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["pretty", "json"], { message: "pretty or json" }).optional(),
    DEMO_SPEED: z.coerce
      .number()
      .min(1, "simulated seconds per real second, 1 or more, e.g. 720")
      .max(100_000, "simulated seconds per real second, at most 100000")
      .default(1),
    /** Simulated members who play the local desk in demo mode (DEMO_SPEED > 1): 0 turns them off. */
    DEMO_MEMBERS: z.coerce
      .number()
      .int()
      .min(0, "how many simulated members play in demo mode, 0 to 3")
      .max(3, "how many simulated members play in demo mode, 0 to 3")
      .default(3),
    RESOLUTION_GRACE_HOURS: z.coerce.number().positive("hours after a deadline, e.g. 72").default(72),
    DATABASE_URL: postgresUrl.optional().or(z.literal("").transform(() => undefined)),
    DATA_DIR: z.string().trim().min(1).default(".tapereader"),
    TEST_DATABASE_URL: postgresUrl.optional().or(z.literal("").transform(() => undefined)),
    LOCK_SHARE: z.coerce
      .number()
      .gt(0, "a share of the horizon between 0 and 1, e.g. 0.25")
      .lt(1, "a share of the horizon between 0 and 1, e.g. 0.25")
      .default(0.25),
    PUBLIC_URL: z
      .url({ message: "an absolute URL such as https://desk.example.com" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SEC_USER_AGENT: optionalText,
    MARKET_SOURCE: z
      .enum(["live", "replay", "simulated"], { message: "live, replay or simulated" })
      .default("simulated"),
    MARKET_DATA_DIR: z.string().trim().min(1).default("data"),
    MARKET_SIM_SEED: z.coerce.number().int().nonnegative().default(42),
    MARKET_SYMBOLS: commaList.optional(),
    MARKET_MACRO_SERIES: commaList.optional(),
    MARKET_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
    FRED_API_KEY: optionalText,
    /** The built-in world-news feeds (BBC, CNBC, DW); off leaves only NEWS_FEEDS. */
    NEWS_DEFAULT_FEEDS: z.enum(["on", "off"], { message: "on or off" }).default("on"),
    NEWS_FEEDS: z
      .string()
      .optional()
      .transform(splitList)
      .pipe(z.array(z.url({ message: "comma-separated feed URLs" }))),
    YAHOO_BASE_URL: baseUrl.default("https://query1.finance.yahoo.com"),
    FRED_BASE_URL: baseUrl.default("https://fred.stlouisfed.org"),
    FRED_API_BASE_URL: baseUrl.default("https://api.stlouisfed.org"),
    SEC_BASE_URL: baseUrl.default("https://www.sec.gov"),
    SEC_DATA_BASE_URL: baseUrl.default("https://data.sec.gov"),
    COINGECKO_BASE_URL: baseUrl.default("https://api.coingecko.com"),
    DESK_ENGINE: z.enum(["offline", "claude"], { message: "offline or claude" }).default("offline"),
    ANTHROPIC_API_KEY: optionalText,
    ANTHROPIC_MODEL: z.string().trim().min(1).default("claude-sonnet-5-5"),
    /** Per model request; the SDK's own default (10 minutes, retried) could hold a cycle for half an hour. */
    ANTHROPIC_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1_000, "milliseconds per model request, at least 1000, e.g. 90000")
      .max(600_000, "milliseconds per model request, at most 600000")
      .default(90_000),
    ANTHROPIC_BASE_URL: z
      .url({ message: "an absolute URL such as https://api.anthropic.com" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** The RFC 3161 Time-Stamp Authority that signs the chains' root daily; off turns anchoring off. */
    TSA_URL: z
      .literal("off")
      .or(z.url({ message: "an RFC 3161 TSA's URL such as https://freetsa.org/tsr, or off" }))
      .default("https://freetsa.org/tsr"),
    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: z
      .string()
      .trim()
      .regex(/^\d{17,20}$/, "the application's snowflake id, e.g. 1234567890123456789")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** discord.js's REST base; tests point it at a local fake Discord. */
    DISCORD_API_URL: baseUrl.default("https://discord.com/api"),
    SLACK_BOT_TOKEN: optionalText,
    /** Socket Mode only: the app-level token (xapp-…) with connections:write. */
    SLACK_APP_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_MODE: z.enum(["socket", "http"], { message: "socket or http" }).default("socket"),
    /** HTTP mode: where Slack's request URL points (port and path of Bolt's receiver). */
    SLACK_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
    SLACK_PATH: z.string().trim().startsWith("/", "a path such as /slack/events").default("/slack/events"),
    /** The Web API base; tests point it at a local fake Slack. Bolt needs the trailing slash. */
    SLACK_API_URL: z
      .url({ message: "an absolute URL such as https://slack.com/api/" })
      .transform((url) => (url.endsWith("/") ? url : `${url}/`))
      .default("https://slack.com/api/"),
    /** A user group (S…) whose members moderate, besides workspace admins; /config can change it per workspace. */
    SLACK_MODERATOR_GROUP: optionalText,
    MEMBER_DEFAULT_PROBABILITY: z.coerce
      .number()
      .min(0.5, "a probability between 0.5 and 0.99, e.g. 0.6")
      .max(0.99, "a probability between 0.5 and 0.99, e.g. 0.6")
      .default(0.6),
    LEADERBOARD_MIN_RESOLVED: z.coerce.number().int().min(0, "a whole number of calls, e.g. 5").default(5),
    MAX_OPEN_CALLS_PER_MEMBER: z.coerce
      .number()
      .int()
      .min(1, "a whole number of calls, at least 1, e.g. 20")
      .default(20),
    /** Per member, counting every call (/predict, buttons, reactions, modals) over a sliding window. */
    MEMBER_RATE_LIMIT_CALLS: z.coerce
      .number()
      .int()
      .min(1, "a whole number of calls per window, at least 1, e.g. 30")
      .default(30),
    MEMBER_RATE_LIMIT_MINUTES: z.coerce
      .number()
      .positive("the rate-limit window in minutes, e.g. 10")
      .max(24 * 60, "a window of at most a day (1440 minutes)")
      .default(10),
    CYCLE_TOKEN_BUDGET: z.coerce
      .number()
      .int()
      .min(2_000, "a whole number of tokens per cycle, at least 2000, e.g. 60000")
      .default(60_000),
  })
  // A compressed clock only makes sense on the simulated market, which has data for any moment.
  .refine((env) => env.DEMO_SPEED === 1 || env.MARKET_SOURCE === "simulated", {
    message: "only with MARKET_SOURCE=simulated",
    path: ["DEMO_SPEED"],
  })
  // A bot token alone cannot receive anything: Socket Mode needs the app token, HTTP the signing secret.
  .refine((env) => !env.SLACK_BOT_TOKEN || env.SLACK_MODE !== "socket" || env.SLACK_APP_TOKEN, {
    message: "required when SLACK_BOT_TOKEN is set and SLACK_MODE=socket",
    path: ["SLACK_APP_TOKEN"],
  })
  .refine((env) => !env.SLACK_BOT_TOKEN || env.SLACK_MODE !== "http" || env.SLACK_SIGNING_SECRET, {
    message: "required when SLACK_BOT_TOKEN is set and SLACK_MODE=http",
    path: ["SLACK_SIGNING_SECRET"],
  })
  // The Claude engine without a key would fall back to offline every cycle; say so at start-up instead.
  .refine((env) => env.DESK_ENGINE !== "claude" || env.ANTHROPIC_API_KEY !== undefined, {
    message: "required when DESK_ENGINE=claude",
    path: ["ANTHROPIC_API_KEY"],
  });

export type Env = z.infer<typeof envSchema>;

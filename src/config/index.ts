import path from "node:path";
import { type Env, envSchema } from "./schema.ts";

export interface Config {
  env: Env["NODE_ENV"];
  logLevel: Env["LOG_LEVEL"];
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };
  dataDir: string;
  testDatabaseUrl: string | undefined;
  lockShare: number;
  publicUrl: string;
  port: number;
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
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "db") },
    dataDir,
    testDatabaseUrl: env.TEST_DATABASE_URL,
    lockShare: env.LOCK_SHARE,
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ""),
    port: env.PORT,
  };
}

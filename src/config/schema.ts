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

/** Every environment variable Tapereader reads, with the embedded-mode defaults. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
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
    .default("http://localhost:3000"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SEC_USER_AGENT: optionalText,
});

export type Env = z.infer<typeof envSchema>;

import { configDefaults, defineConfig } from "vitest/config";

/**
 * Pure tests: no database, no child process, at most a loopback fake of a provider's HTTP API.
 * `npm run test:unit` runs these alone (seconds); `vitest run` runs them with the rest.
 */
const UNIT = [
  "tests/domain/**/*.test.ts",
  "tests/commands/grammar*.test.ts",
  "tests/commands/parse-call.test.ts",
  "tests/market/**/*.test.ts",
  "tests/agents/**/*.test.ts",
  "tests/config.test.ts",
  "tests/env-example.test.ts",
  "tests/deploy.test.ts",
  "tests/web/load.test.ts",
  "tests/web/chart-thinning.test.ts",
  "tests/resolution/records.test.ts",
];

export default defineConfig({
  test: {
    // Sized for a loaded 2-core machine, where PGlite's start and a real `start` take many times
    // their idle seconds. Waits inside tests poll for the event with their own, shorter deadlines.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Most of the suite waits (on PGlite, child processes, sockets, provider timeouts) rather than
    // computes, so more files than cores run at once. Whole suite on 2 cores: 1 worker (vitest's
    // default there) 3m29 idle; 2 workers 2m20, 3 workers 2m01, 4 workers 1m56 at load 7.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      {
        extends: true,
        // Databases (PGlite, or PostgreSQL too with TEST_DATABASE_URL), fake chat servers, real processes.
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...UNIT],
        },
      },
    ],
  },
});

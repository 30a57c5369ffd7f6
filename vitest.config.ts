import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // PGlite takes seconds to start; files run in parallel, tests inside a file share one database.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

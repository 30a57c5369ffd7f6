// Used by the Prisma CLI only (generate, validate, migrate diff). The app builds its own adapter
// in src/store/database.ts. Prisma's binary engines cannot be downloaded here, so the CLI runs its
// Wasm schema engine against an in-memory PGlite (see ../shared/prisma-offline.md).
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  // pglite-prisma-adapter carries its own copy of Prisma's adapter types; the runtime contract matches.
  adapter: async () =>
    new PrismaPGlite(new PGlite("memory://")) as unknown as SqlMigrationAwareDriverAdapterFactory,
});

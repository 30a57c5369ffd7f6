import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chainEarlierVerdicts } from "./chain.ts";
import type { Database, SqlSession } from "./database.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Arbitrary constant: the advisory-lock key every Tapereader instance takes while migrating. */
const MIGRATION_LOCK_KEY = 7_240_001;

// Prisma's own bookkeeping table, so `prisma migrate status` with Prisma's binaries reads the same history.
const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so two
 * instances starting together never migrate at once. A changed, already-applied file is an error.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const report = await applyMigrations(db, dir);
  // Verdicts reached before verdicts were chained get their record once, at the upgrade that starts
  // chaining them; any verdict without a record after that is one written behind the desk's back.
  if (report.applied.includes(VERDICT_CHAIN_MIGRATION)) await chainEarlierVerdicts(db.prisma);
  return report;
}

const VERDICT_CHAIN_MIGRATION = "20261124160000_verdict_chain";

async function applyMigrations(db: Database, dir: string): Promise<MigrationReport> {
  const migrations = await readMigrations(dir);
  return db.withSession(async (session) => {
    await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(CREATE_HISTORY);
      const done = await session.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const doneByName = new Map(done.map((row) => [row.migration_name, row.checksum]));
      const report: MigrationReport = { applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const checksum = doneByName.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(
              `Migration ${migration.name} was changed after it was applied; add a new migration instead.`,
            );
          }
          report.alreadyApplied.push(migration.name);
          continue;
        }
        await applyOne(session, migration);
        report.applied.push(migration.name);
      }
      return report;
    } finally {
      await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  });
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  await session.exec("BEGIN");
  try {
    const startedAt = new Date();
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count, logs)
       VALUES ($1, $2, $3, $4, now(), 1, NULL)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
}

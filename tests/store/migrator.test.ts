import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { MIGRATIONS_DIR, migrate, readMigrations } from "../../src/store/migrator.ts";
import { testDatabases } from "../support/databases.ts";

describe.each(testDatabases())("migrator on $label", (target) => {
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    db = await target.open();
    dir = await mkdtemp(path.join(tmpdir(), "tapereader-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it("applies every migration once and records it the way Prisma does", async () => {
    const files = await readMigrations(dir);
    const [first, second] = await Promise.all([migrate(db, dir), migrate(db, dir)]);
    expect([...(first?.applied ?? []), ...(second?.applied ?? [])]).toEqual(files.map((f) => f.name));
    const rows = await db.withSession((s) =>
      s.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
      ),
    );
    expect(rows).toEqual(
      files.map((f) => ({ migration_name: f.name, checksum: f.checksum, applied_steps_count: 1 })),
    );
    expect(await db.prisma.call.count()).toBe(0);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first?.name ?? "", "migration.sql"), `${first?.sql}\n-- edited`);
    await expect(migrate(db, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const withBroken = await mkdtemp(path.join(tmpdir(), "tapereader-migrations-"));
    await cp(MIGRATIONS_DIR, withBroken, { recursive: true });
    await mkdir(path.join(withBroken, "29990101000000_broken"));
    const sql = `CREATE TABLE "Half" (id INT);\nSELECT no_such_function();`;
    await writeFile(path.join(withBroken, "29990101000000_broken", "migration.sql"), sql);
    await expect(migrate(db, withBroken)).rejects.toThrow(/29990101000000_broken failed/);
    const half = await db.withSession((s) => s.query(`SELECT to_regclass('"Half"') AS t`));
    expect(half).toEqual([{ t: null }]);
  });
});

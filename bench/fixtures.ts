import type { Database, SqlSession } from "../src/store/database.ts";

/**
 * Bench-only bulk fixtures: rows generated inside the database with generate_series so a million calls
 * take seconds, not minutes. Hash-chain fields are synthetic (unique, not a valid chain). Never used by the app.
 */

export interface DueCallsSpec {
  serverId: string;
  memberIds: string[];
  symbols: string[];
  /** Distinct deadlines per symbol: groups = symbols × deadlineDays. */
  deadlineDays: number;
  /** Deadline of the first group (UTC, after the New York close); the next ones follow a day apart. */
  firstDeadline: string;
  count: number;
}

const exec = (db: Database, sql: string, params: unknown[] = []) =>
  db.withSession((s: SqlSession) => s.query<Record<string, unknown>>(sql, params));

export async function createBenchServer(db: Database, symbols: string[]): Promise<string> {
  const server = await db.prisma.server.create({
    data: {
      platform: "local",
      externalId: `bench-${Date.now()}`,
      name: "bench",
      schedule: "0 15 * * 1-5",
      symbols,
    },
  });
  return server.id;
}

export async function insertBenchMembers(db: Database, serverId: string, count: number): Promise<string[]> {
  const rows = await exec(
    db,
    `INSERT INTO "Member" (id, "serverId", "externalId", "displayName")
     SELECT $1 || '-m' || i, $1, 'U' || i, 'member ' || i FROM generate_series(1, $2::int) AS i
     RETURNING id`,
    [serverId, count],
  );
  return rows.map((r) => r.id as string);
}

/** Open member calls whose deadlines have passed, spread evenly over symbol × deadline groups. */
export async function insertDueCalls(db: Database, spec: DueCallsSpec): Promise<void> {
  await exec(
    db,
    `INSERT INTO "Call" ("serverId", "authorType", "memberId", source, kind, symbol, direction, probability,
       "madeAt", "lockAt", deadline, season, "entryPrice", "chainSeq", hash, "prevHash")
     SELECT $1, 'member', ($2::text[])[1 + i % cardinality($2::text[])], 'predict', 'direction',
       ($3::text[])[1 + g % cardinality($3::text[])], CASE WHEN i % 2 = 0 THEN 'up' ELSE 'down' END,
       0.5 + (i % 49) / 100.0, d - interval '31 hours', d - interval '30 hours', d,
       to_char(d, 'YYYY-MM'), 100, i, 'bench-' || i, 'bench-' || (i - 1)
     FROM generate_series(1, $4::int) AS i,
       LATERAL (SELECT i % ($5::int * cardinality($3::text[])) AS g) AS grp,
       LATERAL (SELECT $6::timestamp + (grp.g / cardinality($3::text[])) * interval '1 day' AS d) AS dl`,
    [spec.serverId, spec.memberIds, spec.symbols, spec.count, spec.deadlineDays, spec.firstDeadline],
  );
}

export async function analyzeCalls(db: Database): Promise<void> {
  await exec(db, `ANALYZE "Call"`);
}

/** Baseline for the sweep: one hand-written UPDATE that marks the same due rows resolved. */
export async function rawResolveUpdate(db: Database, now: Date): Promise<number> {
  const rows = await exec(
    db,
    `WITH done AS (
       UPDATE "Call" SET status = CASE WHEN id % 2 = 0 THEN 'right' ELSE 'wrong' END, "resolvedAt" = $1::timestamp,
         "exitPrice" = 101, "exitAt" = deadline, "movePct" = 1, evidence = 'raw', outcome = 1 - id % 2,
         brier = 0.1, "baselineScore" = 0.2, "nextAttemptAt" = NULL
       WHERE status = 'open' AND deadline <= $1::timestamp AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= $1::timestamp)
       RETURNING 1)
     SELECT count(*)::int AS n FROM done`,
    [now.toISOString().replace("Z", "")],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Empties the call-side tables (bench database only). */
export async function clearCalls(db: Database): Promise<void> {
  await exec(db, `TRUNCATE "Call", "ScoreTotal" CASCADE`);
}

export interface ResolvedCallsSpec {
  serverId: string;
  memberIds: string[];
  /** Seasons "2025-01" … spread evenly. */
  seasons: number;
  count: number;
}

/** Resolved member calls (and one desk call in fifty) with scores, for leaderboard and trail reads. */
export async function insertResolvedCalls(db: Database, spec: ResolvedCallsSpec): Promise<void> {
  await exec(
    db,
    `INSERT INTO "Call" ("serverId", "authorType", "memberId", source, kind, symbol, direction, probability,
       "madeAt", "lockAt", deadline, season, "entryPrice", status, "resolvedAt", "exitPrice", outcome, brier,
       "baselineScore", "chainSeq", hash, "prevHash")
     SELECT $1, CASE WHEN desk THEN 'desk' ELSE 'member' END,
       CASE WHEN desk THEN NULL ELSE ($2::text[])[1 + (i::bigint * 7919) % cardinality($2::text[])] END,
       'predict', 'direction', 'SPY', 'up', p, made, made + interval '1 hour', made + interval '1 day',
       to_char(made, 'YYYY-MM'), 100, CASE WHEN o = 1 THEN 'right' ELSE 'wrong' END, made + interval '1 day',
       101, o, (p - o) ^ 2, 0.25 - (p - o) ^ 2,
       i, 'bench-r' || i, 'bench-r' || (i - 1)
     FROM generate_series(1, $3::int) AS i,
       LATERAL (SELECT i % 50 = 0 AS desk, 0.5 + (i % 49) / 100.0 AS p, (i * 2654435761::bigint % 100 < 55)::int AS o,
         timestamp '2025-01-01' + ((i % $4::int) * interval '1 month') + ((i % 28) * interval '1 day') AS made) AS v`,
    [spec.serverId, spec.memberIds, spec.count, spec.seasons],
  );
}

/** ScoreTotal rows consistent with the resolved calls, per season and for "all", aggregated in SQL. */
export async function seedScoreTotals(db: Database, serverId: string): Promise<number> {
  const rows = await exec(
    db,
    `WITH ins AS (
       INSERT INTO "ScoreTotal" ("serverId", season, "authorKey", resolved, "rightCount", voids, "brierSum",
         "baselineSum", "peerSum", "peerCount", "baselineSqSum", "peerSqSum", "skillSum", "skillSqSum")
       SELECT "serverId", s.season, COALESCE("memberId", 'desk'),
         count(*) FILTER (WHERE status IN ('right', 'wrong')), COALESCE(sum(outcome), 0),
         count(*) FILTER (WHERE status = 'void'), COALESCE(sum(brier), 0), COALESCE(sum("baselineScore"), 0),
         COALESCE(sum("peerScore"), 0), count("peerScore"), COALESCE(sum("baselineScore" ^ 2), 0),
         COALESCE(sum("peerScore" ^ 2), 0), COALESCE(sum(COALESCE("peerScore", "baselineScore" * ln(2))), 0),
         COALESCE(sum(COALESCE("peerScore", "baselineScore" * ln(2)) ^ 2), 0)
       FROM "Call", LATERAL (VALUES ("Call".season), ('all')) AS s(season)
       WHERE "serverId" = $1 AND status IN ('right', 'wrong', 'void')
       GROUP BY "serverId", s.season, COALESCE("memberId", 'desk')
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [serverId],
  );
  await exec(db, `ANALYZE "Call"`);
  await exec(db, `ANALYZE "ScoreTotal"`);
  return Number(rows[0]?.n ?? 0);
}

/** Baseline for the leaderboard: the same board aggregated from the calls themselves. */
export async function handLeaderboard(
  db: Database,
  serverId: string,
  season: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return exec(
    db,
    `SELECT c."memberId", m."displayName", count(*) AS resolved,
       sum(COALESCE(c."peerScore", c."baselineScore" * ln(2))) AS score
     FROM "Call" c JOIN "Member" m ON m.id = c."memberId"
     WHERE c."serverId" = $1 AND ($2 = 'all' OR c.season = $2) AND c.status IN ('right', 'wrong')
     GROUP BY c."memberId", m."displayName"
     ORDER BY sum(COALESCE(c."peerScore", c."baselineScore" * ln(2))) / (count(*) + 10) DESC
     LIMIT $3::int`,
    [serverId, season, limit],
  );
}

/** Baseline for the trail: the call with its member and response counts, hand-written. */
export async function handTrail(db: Database, callId: number): Promise<Record<string, unknown>[]> {
  return exec(
    db,
    `SELECT c.*, m."displayName",
       (SELECT count(*) FROM "Call" r WHERE r."parentCallId" = c.id AND r.status <> 'superseded') AS responses
     FROM "Call" c LEFT JOIN "Member" m ON m.id = c."memberId" WHERE c.id = $1::int`,
    [callId],
  );
}

export async function callIdRange(db: Database): Promise<{ min: number; max: number }> {
  const rows = await exec(db, `SELECT min(id)::int AS min, max(id)::int AS max FROM "Call"`);
  return { min: Number(rows[0]?.min ?? 0), max: Number(rows[0]?.max ?? 0) };
}

/**
 * A fresh SPY desk with 1,000 members and `count` resolved calls over 18 seasons, its ScoreTotal rows
 * built from them: what the read benchmarks measure over.
 */
export async function seedResolvedDesk(
  db: Database,
  count: number,
  log: (line: string) => void,
): Promise<{ serverId: string; memberIds: string[]; seedMs: number }> {
  await clearCalls(db);
  const serverId = await createBenchServer(db, ["SPY"]);
  const memberIds = await insertBenchMembers(db, serverId, 1000);
  const started = performance.now();
  await insertResolvedCalls(db, { serverId, memberIds, seasons: 18, count });
  const totals = await seedScoreTotals(db, serverId);
  const seedMs = performance.now() - started;
  log(`  seeded ${count} calls and ${totals} ScoreTotal rows in ${Math.round(seedMs)} ms`);
  return { serverId, memberIds, seedMs };
}

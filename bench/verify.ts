import { runCli } from "../src/cli/command.ts";
import { verifyCommandOn } from "../src/cli/commands/verify.ts";
import { appendCall } from "../src/store/calls.ts";
import { checkChain } from "../src/store/chain-verify.ts";
import type { Database, SqlSession } from "../src/store/database.ts";
import { applyVerdicts, type Verdict } from "../src/store/resolutions.ts";
import { clearCalls, createBenchServer } from "./fixtures.ts";
import { type Figure, figure } from "./report.ts";
import { mb, timed } from "./stats.ts";

/** An incremental check reads only what is new: its memory must not scale with the chain. */
const RSS_GROWTH_MB = 256;

const exec = (db: Database, sql: string, params: unknown[] = []) =>
  db.withSession((s: SqlSession) => s.query<Record<string, unknown>>(sql, params));

/**
 * `cli verify` after a checkpoint: `count` calls already signed off (seeded in SQL, synthetic hashes:
 * a check that starts at the checkpoint never re-reads them, which is what this measures), then `fresh`
 * new calls written by the real code (each call, then its verdict), then one `verify` through the CLI.
 * Its baseline is the same check with nothing new: the pass over the tables every check makes.
 */
export async function benchVerify(
  db: Database,
  count: number,
  log: (line: string) => void,
  fresh = 1000,
): Promise<Figure[]> {
  await clearCalls(db);
  await exec(db, `TRUNCATE "ChainHead", "ChainCheckpoint"`);
  const serverId = await createBenchServer(db, ["SPY"]);
  const old = count;
  const seeded = await timed(() => seedSignedOff(db, serverId, old));
  log(`  seeded ${old} signed-off records in ${Math.round(seeded.ms)} ms`);

  const madeAt = new Date("2026-06-01T15:00:00Z");
  const calls = [];
  for (let i = 0; i < fresh; i += 1) {
    const spec = { kind: "direction" as const, symbol: "SPY", direction: "up" as const, horizonHours: 24 };
    const { call } = await appendCall(db.prisma, {
      serverId,
      spec: { ...spec, probability: 0.6, madeAt: madeAt.toISOString() },
      authorType: "desk",
      source: "cli",
      lockAt: new Date(madeAt.getTime() + 3_600_000),
      entryPrice: 100,
    });
    calls.push(call);
  }
  await applyVerdicts(db, calls.map(verdictFor), new Date("2026-06-03T00:00:00Z"));

  const verify = verifyCommandOn(async () => ({ db, close: async () => {} }));
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
  const run = await timed(() => runCli([verify], ["verify", "--server", serverId])).finally(() => {
    process.stdout.write = write;
  });
  const rss = process.resourceUsage().maxRSS * 1024;
  if (run.value !== 0) log(`  warning: verify exited ${run.value}: ${written.join("")}`);
  log(`  ${written.join("").trim()}`);
  // Again with nothing new: what is left is the one pass over the tables that finds changed rows.
  const idle = await timed(() => checkChain(db.prisma, serverId));
  if (!idle.value.ok || idle.value.hashed !== 0)
    log(`  warning: the second check was ${JSON.stringify(idle.value)}`);
  const label = count >= 1_000_000 ? `${count / 1_000_000}m` : `${count / 1000}k`;
  const growth = mb(rss - rssBefore);
  return [
    figure({
      section: "verify",
      name: `verify-${label}`,
      value: run.ms,
      unit: "ms",
      baseline: idle.ms,
      baselineName: "the same check with nothing new",
      target: "exits 0: the chain verifies",
      met: run.value === 0,
      note: `${fresh} new calls and their verdicts after a checkpoint at ${old} calls`,
    }),
    figure({
      section: "verify",
      name: `verify-${label}-peak-rss`,
      value: mb(rss),
      unit: "MB",
      baseline: mb(rssBefore),
      baselineName: "the process's peak before verify",
      target: `< ${RSS_GROWTH_MB} MB above the peak before`,
      met: growth < RSS_GROWTH_MB,
      note: `grew ${growth} MB; the process's peak, with PGlite including the in-process database`,
    }),
  ];
}

function verdictFor(call: { id: number; probability: number }, i: number): Verdict {
  const right = i % 2 === 0;
  return {
    callId: call.id,
    status: right ? "right" : "wrong",
    exitPrice: right ? 101 : 99,
    exitAt: new Date("2026-06-02T20:00:00Z"),
    movePct: right ? 1 : -1,
    evidence: `SPY 100.00 → ${right ? "101.00 (+1.00%)" : "99.00 (-1.00%)"}`,
    voidReason: null,
    outcome: right ? 1 : 0,
    brier: (call.probability - (right ? 1 : 0)) ** 2,
    baselineScore: null,
    peerScore: null,
    receipt: null,
  };
}

/**
 * `n` open calls and their call records in two set-based inserts, the head on the last, and a
 * checkpoint there taken "before" them (an xact older than every row, as a real check would have).
 */
async function seedSignedOff(db: Database, serverId: string, n: number): Promise<void> {
  await exec(
    db,
    `INSERT INTO "Call" ("serverId", "authorType", source, kind, symbol, direction, probability,
       "madeAt", "lockAt", deadline, season, "entryPrice", "chainSeq", hash, "prevHash")
     SELECT $1, 'member', 'predict', 'direction', 'SPY', 'up', 0.6, d, d + interval '1 hour',
       d + interval '10 years', '2026-06', 100, i, 'bench-v' || i, 'bench-v' || (i - 1)
     FROM generate_series(1, $2::int) AS i, LATERAL (SELECT timestamp '2026-06-01' AS d) AS t`,
    [serverId, n],
  );
  await exec(
    db,
    `INSERT INTO "ChainRecord" ("serverId", seq, kind, "callId", "prevHash", hash, content)
     SELECT "serverId", "chainSeq", 'call', id, "prevHash", hash, '{}' FROM "Call" WHERE "serverId" = $1`,
    [serverId],
  );
  await exec(
    db,
    `INSERT INTO "ChainHead" ("serverId", seq, hash) VALUES ($1, $2::int, 'bench-v' || $2::int)`,
    [serverId, n],
  );
  await exec(
    db,
    `INSERT INTO "ChainCheckpoint" ("serverId", seq, hash, xact) VALUES ($1, $2::int, 'bench-v' || $2::int, txid_current())`,
    [serverId, n],
  );
}

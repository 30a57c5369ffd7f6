-- AlterTable
ALTER TABLE "ScoreTotal" ADD COLUMN     "baselineSqSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "peerSqSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "skillSqSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "skillSum" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Call_serverId_symbol_kind_deadline_idx" ON "Call"("serverId", "symbol", "kind", "deadline");

-- Backfill the new sums from the calls already scored (per season, then all time), as addToTotals
-- would have written them: skill is the peer score where there is one, else baseline × ln 2.
WITH scored AS (
  SELECT "serverId", season, COALESCE("memberId", 'desk') AS "authorKey",
    CASE WHEN status IN ('right', 'wrong') THEN "baselineScore" ELSE NULL END AS baseline,
    "peerScore" AS peer,
    CASE WHEN status IN ('right', 'wrong') THEN COALESCE("peerScore", "baselineScore" * ln(2)) ELSE NULL END AS skill
  FROM "Call" WHERE status IN ('right', 'wrong', 'void')
), sums AS (
  SELECT "serverId", season, "authorKey", SUM(baseline * baseline) AS b2, SUM(peer * peer) AS p2,
    SUM(skill) AS s1, SUM(skill * skill) AS s2
  FROM scored GROUP BY "serverId", season, "authorKey"
  UNION ALL
  SELECT "serverId", 'all', "authorKey", SUM(baseline * baseline), SUM(peer * peer), SUM(skill), SUM(skill * skill)
  FROM scored GROUP BY "serverId", "authorKey"
)
UPDATE "ScoreTotal" AS t SET
  "baselineSqSum" = COALESCE(sums.b2, 0), "peerSqSum" = COALESCE(sums.p2, 0),
  "skillSum" = COALESCE(sums.s1, 0), "skillSqSum" = COALESCE(sums.s2, 0)
FROM sums
WHERE t."serverId" = sums."serverId" AND t.season = sums.season AND t."authorKey" = sums."authorKey";

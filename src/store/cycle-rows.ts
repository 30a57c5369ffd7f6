import type { Observation } from "../domain/observation.ts";
import type { Db } from "./client.ts";
import type { StanceRecord } from "./cycles.ts";

/**
 * A cycle's observations and stances as one INSERT each. Prisma's createMany compiles its whole
 * argument (78 stances with their reasons) on every call, which was a fifth of a backtest's time;
 * a parameterised unnest does the same write without it. Arrays travel as JSON text per row.
 */
export async function insertStances(
  tx: Db,
  cycleId: string,
  stances: readonly StanceRecord[],
): Promise<void> {
  if (stances.length === 0) return;
  const col = <T>(pick: (s: StanceRecord) => T) => stances.map(pick);
  await tx.$executeRaw`
    INSERT INTO "MindStance" (id, "cycleId", mind, round, symbol, direction, probability, abstained, reason, "observationIds")
    SELECT gen_random_uuid()::text, ${cycleId}, v.mind, v.round, v.symbol, v.direction, v.probability, v.abstained,
      v.reason, ARRAY(SELECT json_array_elements_text(v.ids::json))
    FROM unnest(
      ${col((s) => s.mind)}::text[], ${col((s) => s.round)}::int[], ${col((s) => s.symbol)}::text[],
      ${col((s) => s.direction)}::text[], ${col((s) => s.probability)}::float8[], ${col((s) => s.abstained)}::bool[],
      ${col((s) => s.reason)}::text[], ${col((s) => JSON.stringify(s.observationIds))}::text[]
    ) AS v(mind, round, symbol, direction, probability, abstained, reason, ids)`;
}

/** Row ids keep the snapshot's own ids ("quote:SPY") after the cycle's, so stances can point at them. */
export async function insertObservations(
  tx: Db,
  cycleId: string,
  observations: readonly Observation[],
): Promise<void> {
  if (observations.length === 0) return;
  const col = <T>(pick: (o: Observation) => T) => observations.map(pick);
  await tx.$executeRaw`
    INSERT INTO "Observation" (id, "cycleId", source, kind, symbol, value, payload, "asOf", trust, flags)
    SELECT v.id, ${cycleId}, v.source, v.kind, v.symbol, v.value, v.payload::jsonb,
      v.as_of::timestamptz AT TIME ZONE 'UTC', v.trust, ARRAY(SELECT json_array_elements_text(v.flags::json))
    FROM unnest(
      ${col((o) => `${cycleId}/${o.id}`)}::text[], ${col((o) => o.source)}::text[], ${col((o) => o.kind)}::text[],
      ${col((o) => o.symbol)}::text[], ${col((o) => o.value)}::float8[], ${col((o) => JSON.stringify(o.payload))}::text[],
      ${col((o) => o.asOf.toISOString())}::text[], ${col((o) => o.trust)}::text[], ${col((o) => JSON.stringify(o.flags))}::text[]
    ) AS v(id, source, kind, symbol, value, payload, as_of, trust, flags)`;
}

import type { Db } from "./client.ts";

/**
 * A token that changes whenever what the public pages show changes: a call made or resolved (every
 * one appends to its server's chain, so the heads' seqs grow), a dispatch published, a lesson learned
 * (its marker is deleted in the same transaction), a chain anchored (attempts are only ever added), a
 * server's settings changed. One statement over tiny tables and primary keys: cheap enough to read on
 * every request. Not seen: a skipped cycle, a member renamed (the cache's age limit covers those).
 */
export async function dataVersion(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ version: string }[]>`
    SELECT concat_ws(':',
      (SELECT coalesce(sum(seq), 0) FROM "ChainHead"),
      (SELECT coalesce(max(number), 0) FROM "Dispatch"),
      (SELECT count(*) FROM "LearnMarker"),
      (SELECT coalesce(max(id), 0) FROM "Anchor"),
      (SELECT coalesce(max("updatedAt"), 'epoch') FROM "Server")
    ) AS version`;
  return row?.version ?? "";
}

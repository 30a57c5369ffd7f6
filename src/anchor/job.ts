import { type AnchorRecord, anchorPreimage, anchorRoot } from "../domain/anchor.ts";
import { chainHeads, recordAnchor } from "../store/anchors.ts";
import type { Database } from "../store/database.ts";
import { reasonOf } from "./token.ts";
import type { TimeStamper } from "./tsa.ts";

export interface AnchorDeps {
  db: Database;
  stamper: TimeStamper;
  now: () => Date;
  signal?: AbortSignal;
}

export type AnchorOutcome =
  | { status: "anchored" | "failed"; anchor: AnchorRecord }
  | { status: "skipped"; reason: string };

/**
 * One anchoring attempt: the heads of every chain, their root, and the TSA's token over it. A TSA
 * that is down, refuses, or sends a token that does not check is a stored failed attempt (visible on
 * /anchors, retried by the schedule), never an exception; only a database error throws.
 */
export async function anchorChains({ db, stamper, now, signal }: AnchorDeps): Promise<AnchorOutcome> {
  const heads = await chainHeads(db.prisma);
  if (heads.length === 0) return { status: "skipped", reason: "no chain has a record yet" };
  const preimage = anchorPreimage(heads);
  const attempt = {
    attemptedAt: now(),
    root: anchorRoot(preimage),
    preimage,
    servers: heads.length,
    tsaUrl: stamper.url,
  };
  const outcome = await stamper.timestamp(Buffer.from(preimage, "utf8"), signal).then(
    ({ token, facts }) => ({ token, genTime: facts.genTime }),
    (error: unknown) => ({ error: reasonOf(error) }),
  );
  const anchor = await recordAnchor(db.prisma, { ...attempt, outcome });
  return { status: "token" in outcome ? "anchored" : "failed", anchor };
}

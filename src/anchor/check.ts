import { type AnchorRecord, anchorRoot, firstDifference, headsOfPreimage } from "../domain/anchor.ts";
import { anchoredWithTokens, chainHashesAt } from "../store/anchors.ts";
import type { Database } from "../store/database.ts";
import { reasonOf, verifyToken } from "./token.ts";

export type AnchorCheck = { ok: true; anchors: number } | { ok: false; anchorId: number; message: string };

/**
 * Re-derives every anchored root and compares it with the chain today: the stored root must be the
 * hash of its heads, the TSA's token must sign exactly those heads, and the chain must still hold
 * each head's hash at its seq. A chain edited and then re-hashed end to end passes its own link
 * check, but not this one: its hash at the anchored seq is no longer the one the TSA signed.
 */
export async function checkAnchors(db: Database): Promise<AnchorCheck> {
  const anchored = await anchoredWithTokens(db.prisma);
  for (const { anchor, token } of anchored) {
    const problem = await problemOf(db, anchor, token);
    if (problem) return { ok: false, anchorId: anchor.id, message: `${anchorName(anchor)}: ${problem}` };
  }
  return { ok: true, anchors: anchored.length };
}

async function problemOf(db: Database, anchor: AnchorRecord, token: Uint8Array): Promise<string | null> {
  if (anchorRoot(anchor.preimage) !== anchor.root) return "its stored root is not the hash of its heads";
  try {
    await verifyToken(token, Buffer.from(anchor.preimage, "utf8"));
  } catch (error) {
    return `its token does not sign its stored heads (${reasonOf(error)})`;
  }
  const heads = headsOfPreimage(anchor.preimage);
  const difference = firstDifference(heads, await chainHashesAt(db.prisma, heads));
  if (!difference) return null;
  const gone = difference.now === null ? " (that record is gone)" : "";
  return `root differs: the chain was rewritten at or before server ${difference.serverId} seq ${difference.seq}${gone}`;
}

export function anchorName(anchor: AnchorRecord): string {
  return `anchor #${anchor.id} of ${anchor.attemptedAt.toISOString().slice(0, 10)}`;
}

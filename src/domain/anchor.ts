import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./chain.ts";

/** One server's chain tip at the moment of anchoring. */
export interface ChainHeadEntry {
  serverId: string;
  seq: number;
  hash: string;
}

/**
 * The bytes an anchor's root is the SHA-256 of: the heads sorted by server, as canonical JSON. The
 * root is a plain hash over this text (not a Merkle tree) so `openssl ts -verify -data` checks a
 * token against the exported file directly.
 */
export function anchorPreimage(heads: readonly ChainHeadEntry[]): string {
  const sorted = [...heads]
    .sort((a, b) => (a.serverId < b.serverId ? -1 : a.serverId > b.serverId ? 1 : 0))
    .map(({ serverId, seq, hash }) => ({ serverId, seq, hash }));
  return canonicalJson({ heads: sorted, version: 1 });
}

export function anchorRoot(preimage: string): string {
  return createHash("sha256").update(preimage, "utf8").digest("hex");
}

export type HeadDifference = ChainHeadEntry & { now: string | null };

/**
 * The first anchored head the chain no longer has as it was (null when all match). `hashAt` is what
 * the chain holds today at that server and seq; null means the record is gone.
 */
export function firstDifference(
  heads: readonly ChainHeadEntry[],
  hashAt: ReadonlyMap<string, string | null>,
): HeadDifference | null {
  for (const head of heads) {
    const now = hashAt.get(headKey(head)) ?? null;
    if (now !== head.hash) return { ...head, now };
  }
  return null;
}

export function headKey(head: Pick<ChainHeadEntry, "serverId" | "seq">): string {
  return `${head.serverId}#${head.seq}`;
}

const preimageSchema = z.object({
  heads: z.array(z.object({ serverId: z.string(), seq: z.number().int().nonnegative(), hash: z.string() })),
  version: z.literal(1),
});

/** The heads an anchor covers, read back from its stored preimage. */
export function headsOfPreimage(preimage: string): ChainHeadEntry[] {
  return preimageSchema.parse(JSON.parse(preimage)).heads;
}

/** One anchoring attempt as pages and checks see it; the token's bytes are fetched on their own. */
/** "Chain anchored 2026-11-24 00:05 UTC · root ab12cd34ef56…", or that it is not yet. */
export function anchoredLine(anchor: AnchorRecord | null | undefined): string {
  if (!anchor) return "Chain not anchored yet";
  const at = (anchor.genTime ?? anchor.attemptedAt).toISOString().slice(0, 16).replace("T", " ");
  return `Chain anchored ${at} UTC · root ${anchor.root.slice(0, 12)}…`;
}

export interface AnchorRecord {
  id: number;
  attemptedAt: Date;
  status: "anchored" | "failed";
  root: string;
  preimage: string;
  servers: number;
  tsaUrl: string;
  genTime: Date | null;
  error: string | null;
}

import { type AnchorRecord, type ChainHeadEntry, headKey } from "../domain/anchor.ts";
import { chainHashAt } from "./chain.ts";
import type { Db } from "./client.ts";
import type { Anchor } from "./generated/client.ts";

/** Every server's chain tip (ChainHead), the heads an anchor covers. */
export async function chainHeads(db: Db): Promise<ChainHeadEntry[]> {
  const rows = await db.chainHead.findMany({ orderBy: { serverId: "asc" } });
  return rows.map(({ serverId, seq, hash }) => ({ serverId, seq, hash }));
}

/** chainHashAt for each head, keyed by headKey. */
export async function chainHashesAt(
  db: Db,
  heads: readonly ChainHeadEntry[],
): Promise<Map<string, string | null>> {
  const found = await Promise.all(
    heads.map(async (head) => [headKey(head), await chainHashAt(db, head.serverId, head.seq)] as const),
  );
  return new Map(found);
}

export interface NewAnchor {
  attemptedAt: Date;
  root: string;
  preimage: string;
  servers: number;
  tsaUrl: string;
  outcome: { token: Uint8Array; genTime: Date } | { error: string };
}

export async function recordAnchor(db: Db, anchor: NewAnchor): Promise<AnchorRecord> {
  const { outcome, ...common } = anchor;
  const row = await db.anchor.create({
    data:
      "token" in outcome
        ? {
            ...common,
            status: "anchored",
            token: Buffer.from(outcome.token).toString("base64"),
            genTime: outcome.genTime,
          }
        : { ...common, status: "failed", error: outcome.error },
  });
  return recordOf(row);
}

/** Newest first. */
export async function listAnchors(db: Db, limit: number): Promise<AnchorRecord[]> {
  const rows = await db.anchor.findMany({ orderBy: { id: "desc" }, take: limit, omit: { token: true } });
  return rows.map(recordOf);
}

export async function latestAnchored(db: Db): Promise<AnchorRecord | null> {
  const row = await db.anchor.findFirst({
    where: { status: "anchored" },
    orderBy: { id: "desc" },
    omit: { token: true },
  });
  return row ? recordOf(row) : null;
}

/** The DER token of an anchored attempt, null for a failed one or an unknown id. */
export async function anchorToken(db: Db, id: number): Promise<Uint8Array | null> {
  const row = await db.anchor.findUnique({ where: { id }, select: { token: true } });
  return row?.token ? tokenBytes(row.token) : null;
}

/** Every anchored attempt with its token, oldest first: what checks and exports walk. */
export async function anchoredWithTokens(db: Db): Promise<{ anchor: AnchorRecord; token: Uint8Array }[]> {
  const rows = await db.anchor.findMany({ where: { status: "anchored" }, orderBy: { id: "asc" } });
  return rows.flatMap((row) => (row.token ? [{ anchor: recordOf(row), token: tokenBytes(row.token) }] : []));
}

const tokenBytes = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

function recordOf(row: Omit<Anchor, "token">): AnchorRecord {
  return {
    id: row.id,
    attemptedAt: row.attemptedAt,
    status: row.status === "anchored" ? "anchored" : "failed",
    root: row.root,
    preimage: row.preimage,
    servers: row.servers,
    tsaUrl: row.tsaUrl,
    genTime: row.genTime,
    error: row.error,
  };
}

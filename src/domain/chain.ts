import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/** JSON with object keys sorted at every level and undefined members dropped: one text per value. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as Json)}`);
  return `{${members.join(",")}}`;
}

/** The content of a call that its hash commits to: the question, who asked it, when, and at what price. */
export type ChainContent = { [key: string]: Json | undefined };

export function chainHash(content: ChainContent, prevHash: string): string {
  return createHash("sha256")
    .update(canonicalJson({ ...content, prevHash }))
    .digest("hex");
}

export interface ChainLink {
  seq: number;
  content: ChainContent;
  hash: string;
  prevHash: string;
}

export type ChainVerdict =
  | { ok: true; length: number; head: string }
  | { ok: false; seq: number; problem: "content_changed" | "link_broken" | "sequence_gap" };

/** Walks links in sequence order from genesis; detects an edited call, a removed one, or a re-linked one. */
export function verifyChain(links: readonly ChainLink[]): ChainVerdict {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const link of [...links].sort((a, b) => a.seq - b.seq)) {
    if (link.seq !== expectedSeq) return { ok: false, seq: expectedSeq, problem: "sequence_gap" };
    if (link.prevHash !== expectedPrev) return { ok: false, seq: link.seq, problem: "link_broken" };
    if (chainHash(link.content, link.prevHash) !== link.hash)
      return { ok: false, seq: link.seq, problem: "content_changed" };
    expectedPrev = link.hash;
    expectedSeq += 1;
  }
  return { ok: true, length: links.length, head: expectedPrev };
}

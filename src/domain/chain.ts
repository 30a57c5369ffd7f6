import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/** JSON with object keys sorted at every level and undefined members dropped: one text per value. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => member(key, value[key] as Json));
  return `{${members.join(",")}}`;
}

const member = (key: string, value: Json) => `${JSON.stringify(key)}:${canonicalJson(value)}`;

/** What one record of the chain commits to: a call as made, or its verdict. */
export type ChainContent = { [key: string]: Json | undefined };

export function chainHash(content: ChainContent, prevHash: string): string {
  return chainEntry(content, prevHash).hash;
}

/**
 * A record's stored text (its content's canonical JSON) and its hash (of the content with prevHash
 * set), from one serialisation of the members: a sweep chains thousands of verdicts at a time.
 */
export function chainEntry(content: ChainContent, prevHash: string): { text: string; hash: string } {
  const entry = preparedEntry(content);
  return { text: entry.text, hash: entry.hashWith(prevHash) };
}

export interface PreparedEntry {
  /** The content's canonical JSON, as stored. */
  text: string;
  /** The record's hash once its place in the chain, the hash before it, is known. */
  hashWith(prevHash: string): string;
}

/**
 * Serialises a record's content before its place in the chain is known, so that an append does only
 * the hashing while it holds the chain head's lock. The hashed text is the stored one with the
 * prevHash member in its sorted place.
 */
export function preparedEntry(content: ChainContent): PreparedEntry {
  const keys = Object.keys(content)
    .filter((key) => key !== "prevHash" && content[key] !== undefined)
    .sort();
  const members = keys.map((key) => member(key, content[key] as Json));
  const at = keys.findIndex((key) => key > "prevHash");
  const before = at < 0 ? members : members.slice(0, at);
  const after = at < 0 ? [] : members.slice(at);
  const head = `{${before.join(",")}${before.length > 0 ? "," : ""}`;
  const tail = `${after.length > 0 ? "," : ""}${after.join(",")}}`;
  return {
    text: content.prevHash === undefined ? `{${members.join(",")}}` : canonicalJson(content),
    hashWith: (prevHash) =>
      createHash("sha256").update(head).update(member("prevHash", prevHash)).update(tail).digest("hex"),
  };
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export type RecordKind = "call" | "verdict";

/** A record as stored: its place in the chain, its link, and the content that was hashed. */
export interface StoredRecord {
  seq: number;
  kind: RecordKind;
  callId: number;
  prevHash: string;
  hash: string;
  /** Canonical JSON of the hashed content; null for a call chained before verdicts were (legacy). */
  content: string | null;
}

/**
 * What the database holds now for a record: its content recomputed from the rows pages read (null
 * when the call is gone) and, for a legacy call record, the older question-only content.
 */
export interface CurrentContent {
  content: ChainContent | null;
  legacy: ChainContent | null;
}

/** "record 41 (verdict of call #17)": how a report names a record. */
export function recordLabel(record: Pick<StoredRecord, "seq" | "kind" | "callId">): string {
  return `record ${record.seq} (${record.kind === "call" ? "call" : "verdict of call"} #${record.callId})`;
}

/**
 * Why `record` is not the link the chain expects at `expectedSeq` after `expectedPrev`, or null when
 * it is: a missing record, a broken link, a row edited since it was chained (naming the fields), or a
 * record rewritten with content that no longer hashes to its hash.
 */
export function recordProblem(
  record: StoredRecord,
  expectedSeq: number,
  expectedPrev: string,
  current: CurrentContent,
): string | null {
  if (record.seq !== expectedSeq)
    return `record ${expectedSeq} is missing: the chain jumps from ${expectedSeq - 1} to ${record.seq}`;
  if (record.prevHash !== expectedPrev) return "link broken: prevHash is not the hash of the record before";
  if (current.content === null) return `its call #${record.callId} is gone`;
  if (record.content === null) {
    // Legacy: nothing stored to name a field with; the question-only content must still hash right.
    if (current.legacy && chainHash(current.legacy, record.prevHash) === record.hash) return null;
    return "content changed (a call chained before verdicts were)";
  }
  const changed = changedFields(JSON.parse(record.content) as ChainContent, current.content);
  if (changed.length > 0) return `content changed: ${changed.join(", ")}`;
  if (chainHash(current.content, record.prevHash) !== record.hash)
    return "hash does not match its content: the record was rewritten";
  return null;
}

function changedFields(stored: ChainContent, now: ChainContent): string[] {
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(now)])].sort();
  const text = (value: Json | undefined) => (value === undefined ? "" : canonicalJson(value));
  return keys.filter((key) => text(stored[key]) !== text(now[key]));
}

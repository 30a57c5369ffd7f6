import { hash } from "node:crypto";

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

/** A content's members in canonical order with their quoted names, and where prevHash goes among them. */
interface Shape {
  keys: string[];
  names: string[];
  /** Index of the first key that sorts after "prevHash" (keys.length when none does). */
  split: number;
}

/** Records of one kind share their keys: sorted once per key set (a sweep chains 100k alike). */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 64;

/** The last content's own keys and shape: records come in runs of one kind. */
let last: { own: string[]; shape: Shape } | null = null;

function shapeOf(content: ChainContent): Shape {
  const own = Object.keys(content);
  if (last && last.own.length === own.length && own.every((key, i) => key === last?.own[i]))
    return last.shape;
  // NUL joins the keys: no field name holds one, so two key sets cannot share a signature.
  const signature = own.join("\u0000");
  let shape = shapes.get(signature);
  if (!shape) {
    const keys = own.filter((key) => key !== "prevHash").sort();
    const split = keys.findIndex((key) => key > "prevHash");
    shape = {
      keys,
      names: keys.map((key) => `${JSON.stringify(key)}:`),
      split: split < 0 ? keys.length : split,
    };
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(signature, shape);
  }
  last = { own, shape };
  return shape;
}

/**
 * Long strings recur across records (every call of a symbol and deadline carries the same receipt):
 * each is escaped once. Bounded, since the texts are large.
 */
const escapedLong = new Map<string, string>();
const LONG = 64;
const MAX_ESCAPED = 1_000;

function valueJson(value: Json): string {
  if (typeof value === "string" && value.length > LONG) {
    let escaped = escapedLong.get(value);
    if (escaped === undefined) {
      escaped = JSON.stringify(value);
      if (escapedLong.size >= MAX_ESCAPED) escapedLong.clear();
      escapedLong.set(value, escaped);
    }
    return escaped;
  }
  return canonicalJson(value);
}

/**
 * Serialises a record's content before its place in the chain is known, so that an append does only
 * the hashing while it holds the chain head's lock. The hashed text is the stored one with the
 * prevHash member in its sorted place: canonicalJson({ ...content, prevHash }).
 */
export function preparedEntry(content: ChainContent): PreparedEntry {
  if (content.prevHash !== undefined) {
    // A content that names a prevHash of its own is stored as it is, and hashed with the link's.
    const text = canonicalJson(content);
    return { text, hashWith: (prevHash) => sha256Hex(canonicalJson({ ...content, prevHash })) };
  }
  const { keys, names, split } = shapeOf(content);
  // before: "{m1,m2" (no trailing comma); after: ",m3,m4".
  let before = "{";
  let after = "";
  for (let i = 0; i < keys.length; i += 1) {
    const value = content[keys[i] as string];
    if (value === undefined) continue;
    const member = `${names[i]}${valueJson(value)}`;
    if (i < split) before += before.length > 1 ? `,${member}` : member;
    else after += `,${member}`;
  }
  const open = before.length > 1 ? `${before},` : before;
  return {
    text: before.length > 1 ? `${before}${after}}` : `{${after.slice(1)}}`,
    hashWith: (prevHash) => hash("sha256", `${open}"prevHash":${JSON.stringify(prevHash)}${after}}`, "hex"),
  };
}

export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
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

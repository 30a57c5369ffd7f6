import { describe, expect, it } from "vitest";
import {
  type ChainContent,
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  preparedEntry,
  recordProblem,
  type StoredRecord,
  sha256Hex,
} from "../../src/domain/chain.ts";
import { receiptOf, receiptProblem } from "../../src/domain/receipt.ts";

function buildChain(contents: ChainContent[]): StoredRecord[] {
  let prev = GENESIS_HASH;
  return contents.map((content, i) => {
    const hash = chainHash(content, prev);
    const record = {
      seq: i + 1,
      kind: "call" as const,
      callId: i + 1,
      prevHash: prev,
      hash,
      content: canonicalJson(content),
    };
    prev = hash;
    return record;
  });
}

const calls = [
  { symbol: "QQQ", direction: "down", probability: 0.62 },
  { symbol: "SPY", direction: "up", probability: 0.55 },
  { symbol: "IWM", direction: "up", probability: 0.7 },
];
const now = (content: ChainContent) => ({ content, legacy: null });

describe("canonical JSON", () => {
  it("is independent of key order and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: "x" }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":"x","z":null}]},"b":1}',
    );
    expect(chainHash({ a: 1, b: 2 }, GENESIS_HASH)).toBe(chainHash({ b: 2, a: 1 }, GENESIS_HASH));
  });
});

describe("preparedEntry", () => {
  const receipt = `{"bars":[{"symbol":"SPY","time":"2026-01-05T21:00:00.000Z","value":590.1}],"source":"replay \\ \u2028"}`;
  const contents: ChainContent[] = [
    {},
    { a: 1 },
    { zeta: "z", receipt },
    { a: 1, b: null, prevHash: "own", c: [1, { y: 2, x: "x" }] },
    { record: "verdict", callId: 7, brier: 0.1234, evidence: "SPY 100 → 101", receipt, voidReason: null },
    { record: "verdict", callId: 8, brier: 0.5, evidence: "QQQ", receipt: `${receipt} `, voidReason: null },
    { record: "verdict", callId: 9, brier: undefined, evidence: "x", receipt, voidReason: "no_bar" },
    { nested: { prevHash: "inner", a: [null, true] }, quote: 'say "hi"\n' },
  ];

  it("stores the canonical JSON and hashes it with prevHash in its sorted place, whatever the keys", () => {
    // Many key sets, so the shapes cache fills and starts over part-way.
    const many = Array.from({ length: 150 }, (_, i): ChainContent => ({ [`k${i}`]: i, [`q${i % 7}`]: "v" }));
    for (const content of [...contents, ...many, ...contents]) {
      const entry = preparedEntry(content);
      expect(entry.text).toBe(canonicalJson(content));
      for (const prev of [GENESIS_HASH, "f".repeat(64)])
        expect(entry.hashWith(prev)).toBe(sha256Hex(canonicalJson({ ...content, prevHash: prev })));
    }
  });
});

describe("recordProblem", () => {
  const chain = buildChain(calls);
  const [first, second, third] = chain as [StoredRecord, StoredRecord, StoredRecord];

  it("accepts each link of an intact chain", () => {
    expect(recordProblem(first, 1, GENESIS_HASH, now(calls[0] as ChainContent))).toBeNull();
    expect(recordProblem(second, 2, first.hash, now(calls[1] as ChainContent))).toBeNull();
  });

  it("names the fields a row changed since it was chained", () => {
    expect(recordProblem(second, 2, first.hash, now({ ...calls[1], probability: 0.9 }))).toBe(
      "content changed: probability",
    );
  });

  it("detects a removed record and a re-linked one", () => {
    expect(recordProblem(third, 2, first.hash, now(calls[2] as ChainContent))).toBe(
      "record 2 is missing: the chain jumps from 1 to 3",
    );
    expect(recordProblem({ ...third, seq: 2 }, 2, first.hash, now(calls[2] as ChainContent))).toBe(
      "link broken: prevHash is not the hash of the record before",
    );
  });

  it("detects a record whose stored content was rewritten along with the row", () => {
    const forged = { ...calls[0], probability: 0.99 };
    expect(recordProblem({ ...first, content: canonicalJson(forged) }, 1, GENESIS_HASH, now(forged))).toBe(
      "hash does not match its content: the record was rewritten",
    );
  });

  it("checks a legacy record (no stored content) against its question-only content", () => {
    const legacy = { ...first, content: null };
    expect(
      recordProblem(legacy, 1, GENESIS_HASH, { content: {}, legacy: calls[0] as ChainContent }),
    ).toBeNull();
    expect(
      recordProblem(legacy, 1, GENESIS_HASH, { content: {}, legacy: { ...calls[0], probability: 0.9 } }),
    ).toMatch(/^content changed/);
  });
});

describe("receipts", () => {
  it("hash the bars they list, so a changed bar is caught", () => {
    const receipt = receiptOf("replay", [{ symbol: "SPY", time: "2026-11-20T21:00:00.000Z", value: 590.1 }]);
    expect(receiptProblem(JSON.stringify(receipt))).toBeNull();
    const edited = { ...receipt, bars: [{ ...receipt.bars[0], value: 600 }] };
    expect(receiptProblem(JSON.stringify(edited))).toBe("receipt bars do not match their hash");
  });
});

import { describe, expect, it } from "vitest";
import {
  type ChainLink,
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  verifyChain,
} from "../../src/domain/chain.ts";

function buildChain(contents: Record<string, string | number>[]): ChainLink[] {
  let prev = GENESIS_HASH;
  return contents.map((content, i) => {
    const hash = chainHash(content, prev);
    const link = { seq: i + 1, content, hash, prevHash: prev };
    prev = hash;
    return link;
  });
}

const calls = [
  { symbol: "QQQ", direction: "down", probability: 0.62 },
  { symbol: "SPY", direction: "up", probability: 0.55 },
  { symbol: "IWM", direction: "up", probability: 0.7 },
];

describe("canonical JSON", () => {
  it("is independent of key order and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: "x" }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":"x","z":null}]},"b":1}',
    );
    expect(chainHash({ a: 1, b: 2 }, GENESIS_HASH)).toBe(chainHash({ b: 2, a: 1 }, GENESIS_HASH));
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and reports its head", () => {
    const chain = buildChain(calls);
    expect(verifyChain(chain)).toEqual({ ok: true, length: 3, head: chain[2]?.hash });
  });

  it("detects a changed call", () => {
    const chain = buildChain(calls);
    const tampered = chain.map((link) =>
      link.seq === 2 ? { ...link, content: { ...link.content, probability: 0.9 } } : link,
    );
    expect(verifyChain(tampered)).toEqual({ ok: false, seq: 2, problem: "content_changed" });
  });

  it("detects a removed call", () => {
    const chain = buildChain(calls);
    expect(verifyChain([chain[0], chain[2]] as ChainLink[])).toEqual({
      ok: false,
      seq: 2,
      problem: "sequence_gap",
    });
  });

  it("detects a removed call whose successors were renumbered", () => {
    const chain = buildChain(calls);
    const renumbered = [chain[0], { ...chain[2], seq: 2 }] as ChainLink[];
    expect(verifyChain(renumbered)).toEqual({ ok: false, seq: 2, problem: "link_broken" });
  });

  it("detects a call rewritten together with its own hash", () => {
    const chain = buildChain(calls);
    const first = chain[0] as ChainLink;
    const content = { ...first.content, probability: 0.99 };
    const forged = [{ ...first, content, hash: chainHash(content, GENESIS_HASH) }, ...chain.slice(1)];
    expect(verifyChain(forged)).toEqual({ ok: false, seq: 2, problem: "link_broken" });
  });
});

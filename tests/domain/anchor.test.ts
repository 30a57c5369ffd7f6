import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  anchorPreimage,
  anchorRoot,
  firstDifference,
  headKey,
  headsOfPreimage,
} from "../../src/domain/anchor.ts";

const A = { serverId: "a-server", seq: 41, hash: "aa".repeat(32) };
const B = { serverId: "b-server", seq: 7, hash: "bb".repeat(32) };

describe("the anchor root", () => {
  it("is the SHA-256 of the heads sorted by server, as canonical JSON, whatever order they came in", () => {
    const preimage = anchorPreimage([B, A]);
    expect(preimage).toBe(anchorPreimage([A, B]));
    expect(preimage).toBe(
      `{"heads":[{"hash":"${A.hash}","seq":41,"serverId":"a-server"},{"hash":"${B.hash}","seq":7,"serverId":"b-server"}],"version":1}`,
    );
    expect(anchorRoot(preimage)).toBe(createHash("sha256").update(preimage).digest("hex"));
  });

  it("changes with any head's seq or hash", () => {
    const root = anchorRoot(anchorPreimage([A, B]));
    expect(anchorRoot(anchorPreimage([{ ...A, seq: 42 }, B]))).not.toBe(root);
    expect(anchorRoot(anchorPreimage([A, { ...B, hash: "cc".repeat(32) }]))).not.toBe(root);
    expect(anchorRoot(anchorPreimage([A]))).not.toBe(root);
  });

  it("keeps the heads it covers: they read back from the preimage", () => {
    expect(headsOfPreimage(anchorPreimage([B, A]))).toEqual([A, B]);
    expect(() => headsOfPreimage('{"heads":[{"serverId":1}],"version":1}')).toThrow();
  });
});

describe("firstDifference", () => {
  const chain = (entries: [typeof A, string | null][]) => new Map(entries.map(([h, v]) => [headKey(h), v]));

  it("is null while the chain still holds every anchored hash", () => {
    expect(
      firstDifference(
        [A, B],
        chain([
          [A, A.hash],
          [B, B.hash],
        ]),
      ),
    ).toBeNull();
  });

  it("names the first head whose hash changed or whose record is gone", () => {
    expect(
      firstDifference(
        [A, B],
        chain([
          [A, A.hash],
          [B, "ff".repeat(32)],
        ]),
      ),
    ).toEqual({
      ...B,
      now: "ff".repeat(32),
    });
    expect(
      firstDifference(
        [A, B],
        chain([
          [A, null],
          [B, B.hash],
        ]),
      ),
    ).toEqual({ ...A, now: null });
  });
});

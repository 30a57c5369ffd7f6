import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantedReply, verifyToken } from "../../src/anchor/token.ts";
import { tsaClient } from "../../src/anchor/tsa.ts";
import { type FakeTsa, fakeTsa } from "../support/fake-tsa.ts";
import { silentServer } from "../support/market-servers.ts";

const PREIMAGE = Buffer.from('{"heads":[{"hash":"ab","seq":3,"serverId":"s"}],"version":1}', "utf8");
const GEN_TIME = new Date("2026-11-24T00:05:00Z");

describe("the RFC 3161 client against a local TSA", () => {
  let tsa: FakeTsa;
  beforeAll(async () => {
    tsa = await fakeTsa(() => GEN_TIME);
  });
  afterAll(() => tsa.close());

  it("gets a token whose signature, imprint and nonce check, and that openssl ts -verify accepts", async () => {
    tsa.fault = "none";
    const { token, facts } = await tsaClient(tsa.url).timestamp(PREIMAGE);
    expect(facts.genTime).toEqual(GEN_TIME);
    await expect(verifyToken(token, PREIMAGE)).resolves.toMatchObject({ genTime: GEN_TIME });

    const dir = await mkdtemp(path.join(tmpdir(), "tapereader-tsr-"));
    const file = (name: string) => path.join(dir, name);
    await writeFile(file("heads.json"), PREIMAGE);
    await writeFile(file("anchor.tsr"), grantedReply(token));
    await writeFile(file("cacert.pem"), tsa.identity.pem);
    const openssl = (data: string) =>
      promisify(execFile)("openssl", [
        "ts",
        "-verify",
        "-data",
        data,
        "-in",
        file("anchor.tsr"),
        "-CAfile",
        file("cacert.pem"),
      ]);
    expect((await openssl(file("heads.json"))).stdout).toContain("Verification: OK");
    // The same command fails on heads that are not the ones signed.
    await writeFile(file("other.json"), Buffer.concat([PREIMAGE, Buffer.from(" ")]));
    await expect(openssl(file("other.json"))).rejects.toThrow(/message imprint mismatch/);
  });

  it.each([
    ["wrong_nonce", /nonce is not the one we sent/],
    ["wrong_imprint", /imprint is not the hash of the anchored root/],
    ["rejection", /refused the request \(rejection\)/],
    ["http_500", /answered HTTP 500/],
  ] as const)("refuses a TSA answer with %s", async (fault, message) => {
    tsa.fault = fault;
    await expect(tsaClient(tsa.url).timestamp(PREIMAGE)).rejects.toThrow(message);
  });

  it("refuses a token whose signature no longer matches, or that is over other heads", async () => {
    tsa.fault = "none";
    const { token } = await tsaClient(tsa.url).timestamp(PREIMAGE);
    const forged = token.slice();
    forged[forged.length - 10] = (forged[forged.length - 10] ?? 0) ^ 0xff; // inside the RSA signature
    await expect(verifyToken(forged, PREIMAGE)).rejects.toThrow(/signature does not verify/);
    await expect(verifyToken(token, Buffer.from("other heads"))).rejects.toThrow(/imprint/);
  });

  it("gives up on a TSA that never answers, after its own timeout", async () => {
    const silent = await silentServer();
    try {
      await expect(tsaClient(silent.url, { timeoutMs: 200 }).timestamp(PREIMAGE)).rejects.toThrow(
        /did not answer/,
      );
    } finally {
      await silent.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/index.ts";

describe("loadConfig", () => {
  it("runs the embedded mode with no environment at all", () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe("pglite");
    expect(config.database.kind === "pglite" && config.database.dataDir).toMatch(/\.tapereader\/db$/);
    expect(config.port).toBe(3000);
    expect(config.lockShare).toBe(0.25);
  });

  it("uses PostgreSQL when DATABASE_URL is set, and treats an empty value as unset", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test" }).database).toEqual({
      kind: "postgres",
      url: "postgresql://postgres@127.0.0.1:5432/test",
    });
    expect(loadConfig({ DATABASE_URL: "" }).database.kind).toBe("pglite");
  });

  it("plays simulated members only in demo mode, three unless DEMO_MEMBERS says fewer", () => {
    expect(loadConfig({}).demoMembers).toBe(0);
    expect(loadConfig({ DEMO_MEMBERS: "3" }).demoMembers).toBe(0);
    expect(loadConfig({ DEMO_SPEED: "720" }).demoMembers).toBe(3);
    expect(loadConfig({ DEMO_SPEED: "720", DEMO_MEMBERS: "0" }).demoMembers).toBe(0);
    expect(() => loadConfig({ DEMO_MEMBERS: "4" })).toThrow(/DEMO_MEMBERS: how many simulated members/);
  });

  it("reads the built-in news feeds switch, on unless set off", () => {
    expect(loadConfig({}).market.defaultNewsFeeds).toBe(true);
    expect(loadConfig({ NEWS_DEFAULT_FEEDS: "off" }).market.defaultNewsFeeds).toBe(false);
    expect(() => loadConfig({ NEWS_DEFAULT_FEEDS: "no" })).toThrow(/NEWS_DEFAULT_FEEDS: on or off/);
  });

  it("anchors with a public TSA by default; TSA_URL=off turns anchoring off", () => {
    expect(loadConfig({}).anchor).toEqual({ tsaUrl: "https://freetsa.org/tsr" });
    expect(loadConfig({ TSA_URL: "http://127.0.0.1:9/tsr" }).anchor).toEqual({
      tsaUrl: "http://127.0.0.1:9/tsr",
    });
    expect(loadConfig({ TSA_URL: "off" }).anchor).toBeNull();
    expect(() => loadConfig({ TSA_URL: "no" })).toThrow(/TSA_URL: an RFC 3161 TSA's URL/);
  });

  it("names every bad variable and what it expects, in one error", () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: "mysql://x", PORT: "eighty", LOCK_SHARE: "1.5", LOG_LEVEL: "loud" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(["DATABASE_URL", "LOCK_SHARE", "LOG_LEVEL", "PORT"]);
    expect((error as ConfigError).message).toMatch(/DATABASE_URL: .*PostgreSQL URL/);
    expect((error as ConfigError).message).toMatch(/LOCK_SHARE: .*share of the horizon/);
  });
});
